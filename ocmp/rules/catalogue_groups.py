"""The rule groups of the catalogue: one line per group module, with the scope of its rules.

Add one line per group module; nothing else discovers rules. Each module holds one concept
and rules of one scope, so that a run imports only the groups of the scopes it checks (an
offline ``ocmp validate`` never imports the tenancy checks and their clients).
``tests/rules/test_catalogue.py`` checks the table against what each module registers. Rule
ids stay as they were given, so a module's ids need not be a range.
"""

from ocmp.core.findings import Scope

GROUPS: dict[str, Scope] = {
    "assets": Scope.LISTING,  # LST011, LST016
    "listing": Scope.LISTING,  # LST001-LST005, LST009, LST010, LST012
    "listing_languages": Scope.LISTING,  # LST018
    "listing_placeholders": Scope.LISTING,  # LST017
    "listing_shapes": Scope.LISTING,  # LST019
    "listing_text": Scope.LISTING,  # LST006-LST008, LST013-LST015
    "pricing": Scope.LISTING,  # PRC001-PRC007
    "schema_constraints": Scope.STACK,  # SCH014-SCH016
    "schema_document": Scope.STACK,  # SCH001-SCH005, SCH009, SCH010
    "schema_presentation": Scope.STACK,  # SCH011-SCH013
    "schema_references": Scope.STACK,  # SCH006-SCH008
    "stack_boot": Scope.STACK,  # STK100-STK102
    "stack_credentials": Scope.STACK,  # STK103, STK104
    "stack_image_ids": Scope.STACK,  # STK085-STK087, STK094
    "stack_image_launch": Scope.STACK,  # STK082, STK083, STK091, STK093
    "stack_oci_images": Scope.STACK,  # STK088-STK090, STK092
    "stack_outputs": Scope.STACK,  # STK060-STK065
    "stack_package": Scope.STACK,  # STK001-STK012
    "stack_providers": Scope.STACK,  # STK028-STK032
    "stack_shapes": Scope.STACK,  # STK095
    "stack_subscription": Scope.STACK,  # STK080, STK081, STK084
    "stack_terraform": Scope.STACK,  # STK020-STK027, STK033
    "stack_variables": Scope.STACK,  # STK040-STK049
    "tenancy_account": Scope.TENANCY,  # TEN001, TEN005, TEN007
    "tenancy_images": Scope.TENANCY,  # TEN002, TEN006, TEN008, TEN009
    "tenancy_policy": Scope.TENANCY,  # TEN003, TEN004
    "tenancy_resources": Scope.TENANCY,  # TEN013-TEN015
    "tenancy_shapes": Scope.TENANCY,  # TEN010-TEN012
}
