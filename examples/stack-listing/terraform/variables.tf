# Filled in by Resource Manager; hidden in schema.yaml.
variable "tenancy_ocid" {
  type        = string
  description = "Tenancy of the user launching the stack (set by Resource Manager)."
}

variable "region" {
  type        = string
  description = "Region the stack is launched in (set by Resource Manager)."
}

variable "compartment_ocid" {
  type        = string
  description = "Compartment for every resource of the stack."
}

# Compute
variable "instance_display_name" {
  type    = string
  default = "ocmp-app"
}

variable "instance_shape" {
  type    = string
  default = "VM.Standard.E4.Flex"
}

variable "instance_ocpus" {
  type    = number
  default = 1
}

variable "instance_memory_in_gbs" {
  type    = number
  default = 16
}

variable "availability_domain_name" {
  type        = string
  default     = ""
  description = "Availability domain; empty picks the first one of the region."
}

variable "ssh_public_key" {
  type        = string
  description = "Public SSH key allowed to log in as opc."
}

# Network
variable "vcn_cidr_block" {
  type    = string
  default = "10.0.0.0/16"
}

variable "subnet_cidr_block" {
  type    = string
  default = "10.0.0.0/24"
}

variable "ssh_source_cidr" {
  type    = string
  default = "0.0.0.0/0"
}
