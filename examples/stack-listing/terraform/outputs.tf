output "app_url" {
  description = "Address of the application."
  value       = "http://${oci_core_instance.app.public_ip}/"
}

output "instance_id" {
  description = "Instance running the application."
  value       = oci_core_instance.app.id
}

output "instance_public_ip" {
  description = "Public address of the instance."
  value       = oci_core_instance.app.public_ip
}

output "ssh_command" {
  description = "How to log in to the instance."
  value       = "ssh opc@${oci_core_instance.app.public_ip}"
}

output "image_compatible_shapes" {
  description = "Shapes the Marketplace image supports."
  value       = data.oci_core_app_catalog_listing_resource_version.mp_image.compatible_shapes
}
