"""The rule groups of the catalogue. Importing this module registers every rule.

Add one line per group module; nothing else discovers rules. Each module holds one concept;
rule ids stay as they were given, so a module's ids need not be a range.
"""
import ocmp.rules.assets  # LST011, LST016
import ocmp.rules.listing  # LST001-LST005, LST009, LST010, LST012
import ocmp.rules.listing_placeholders  # LST017
import ocmp.rules.listing_text  # LST006-LST008, LST013-LST015
import ocmp.rules.pricing  # PRC001-PRC007
import ocmp.rules.schema_constraints  # SCH014-SCH016
import ocmp.rules.schema_document  # SCH001-SCH005, SCH009, SCH010
import ocmp.rules.schema_presentation  # SCH011-SCH013
import ocmp.rules.schema_references  # SCH006-SCH008
import ocmp.rules.stack_boot  # STK100-STK102
import ocmp.rules.stack_credentials  # STK103, STK104
import ocmp.rules.stack_image_ids  # STK085-STK087, STK094
import ocmp.rules.stack_image_launch  # STK082, STK083, STK091, STK093
import ocmp.rules.stack_oci_images  # STK088-STK090, STK092
import ocmp.rules.stack_outputs  # STK060-STK065
import ocmp.rules.stack_package  # STK001-STK012
import ocmp.rules.stack_providers  # STK028-STK031
import ocmp.rules.stack_subscription  # STK080, STK081, STK084
import ocmp.rules.stack_terraform  # STK020-STK027, STK032
import ocmp.rules.stack_variables  # STK040-STK049
import ocmp.rules.tenancy_account  # TEN001, TEN005, TEN007
import ocmp.rules.tenancy_images  # TEN002, TEN006, TEN008, TEN009
import ocmp.rules.tenancy_policy  # TEN003, TEN004
import ocmp.rules.tenancy_resources  # TEN013-TEN015
import ocmp.rules.tenancy_shapes  # noqa: F401  (TEN010-TEN012; binds `ocmp`, the others reuse it)
