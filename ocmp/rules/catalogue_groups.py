"""The rule groups of the catalogue. Importing this module registers every rule.

Add one line per group module; nothing else discovers rules.
"""
import ocmp.rules.assets  # LST011
import ocmp.rules.listing  # LST001-LST005, LST009, LST010, LST012
import ocmp.rules.listing_text  # LST006-LST008, LST013-LST015
import ocmp.rules.pricing  # PRC001-PRC007
import ocmp.rules.rm_schema  # SCH001-SCH008
import ocmp.rules.rm_schema_more  # SCH009-SCH016
import ocmp.rules.stack_boot  # STK100-STK103
import ocmp.rules.stack_images  # STK080-STK087
import ocmp.rules.stack_images_more  # STK088-STK094
import ocmp.rules.stack_outputs  # STK060-STK065
import ocmp.rules.stack_package  # STK001-STK012
import ocmp.rules.stack_providers  # STK028-STK031
import ocmp.rules.stack_terraform  # STK020-STK027
import ocmp.rules.stack_variables  # noqa: F401  (STK040-STK049; binds `ocmp`, the others reuse it)
from ocmp.rules import tenancy, tenancy_images  # noqa: F401  (TEN001-TEN015)
