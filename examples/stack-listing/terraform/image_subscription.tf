# Subscribe the launching tenancy to the Marketplace image: accept the listing's
# agreement, then create the subscription from the signed agreement. Always on:
# Marketplace requires the subscription for every image the stack launches.

data "oci_core_app_catalog_listing_resource_version" "mp_image" {
  listing_id       = var.mp_listing_id
  resource_version = var.mp_listing_resource_version
}

resource "oci_core_app_catalog_listing_resource_version_agreement" "mp_image_agreement" {
  listing_id               = var.mp_listing_id
  listing_resource_version = var.mp_listing_resource_version
}

resource "oci_core_app_catalog_subscription" "mp_image_subscription" {
  compartment_id           = var.compartment_ocid
  eula_link                = oci_core_app_catalog_listing_resource_version_agreement.mp_image_agreement.eula_link
  listing_id               = oci_core_app_catalog_listing_resource_version_agreement.mp_image_agreement.listing_id
  listing_resource_version = oci_core_app_catalog_listing_resource_version_agreement.mp_image_agreement.listing_resource_version
  oracle_terms_of_use_link = oci_core_app_catalog_listing_resource_version_agreement.mp_image_agreement.oracle_terms_of_use_link
  signature                = oci_core_app_catalog_listing_resource_version_agreement.mp_image_agreement.signature
  time_retrieved           = oci_core_app_catalog_listing_resource_version_agreement.mp_image_agreement.time_retrieved

  timeouts {
    create = "20m"
  }
}
