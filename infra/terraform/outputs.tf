output "ingress_url" {
  description = "HTTPS URL the registry events are delivered to."
  value       = local.ingress_url
}

output "app_host_name" {
  description = "Host name of the app (Functions or Container Apps)."
  value       = local.app_host_name
}

output "identity_id" {
  description = "Resource ID of the app's user-assigned managed identity."
  value       = azurerm_user_assigned_identity.app.id
}

output "identity_client_id" {
  description = "Client ID of the managed identity (AZURE_CLIENT_ID for the app)."
  value       = azurerm_user_assigned_identity.app.client_id
}

output "identity_principal_id" {
  description = "Principal (object) ID of the managed identity, for granting it access to more registries."
  value       = azurerm_user_assigned_identity.app.principal_id
}

output "storage_account_name" {
  description = "Name of the storage account holding queues, layers, reports and the deployment package."
  value       = azurerm_storage_account.this.name
}

output "key_vault_name" {
  description = "Name of the Key Vault holding webhook secrets."
  value       = azurerm_key_vault.this.name
}
