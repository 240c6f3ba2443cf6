# Marketplace listing and images this stack launches. Oracle replicates stack
# listings to other realms from these values, so keep every image here and
# reference published Marketplace images only (region-free identifiers).

variable "mp_listing_id" {
  type    = string
  default = "ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting"
}

variable "mp_listing_resource_id" {
  type    = string
  default = "ocid1.image.oc1..aaaaaaaaocmpdemomarketplaceimage"
}

variable "mp_listing_resource_version" {
  type    = string
  default = "2.1.0"
}

variable "marketplace_source_images" {
  type = map(object({
    ocid                  = string
    is_pricing_associated = bool
    compatible_shapes     = set(string)
  }))
  default = {
    main_mktpl_image = {
      ocid                  = "ocid1.image.oc1..aaaaaaaaocmpdemomarketplaceimage"
      is_pricing_associated = true
      compatible_shapes     = ["VM.Standard.E4.Flex", "VM.Standard3.Flex", "VM.Standard2.1"]
    }
  }
}
