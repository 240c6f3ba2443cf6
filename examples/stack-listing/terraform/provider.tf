# Resource Manager authenticates the provider itself: only the region is set here.
# Never add user, fingerprint or key settings to this block (they would ship in the zip).
provider "oci" {
  region = var.region
}
