# Resource Manager picks the Terraform version from the stack and always serves the
# newest oracle/oci provider: state a floor, never an exact pin or an upper bound.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = ">= 6.30.0"
    }
  }
}
