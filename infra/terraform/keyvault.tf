# Key Vault for webhook secrets: RBAC authorization, purge protection, 90-day soft delete, firewall,
# audit logs, and the app identity as Secrets User.

resource "azurerm_key_vault" "this" {
  name                            = local.names.key_vault
  location                        = var.location
  resource_group_name             = data.azurerm_resource_group.tenant.name
  tenant_id                       = data.azurerm_client_config.current.tenant_id
  sku_name                        = "standard"
  rbac_authorization_enabled      = true
  purge_protection_enabled        = true
  soft_delete_retention_days      = 90
  enabled_for_deployment          = false
  enabled_for_disk_encryption     = false
  enabled_for_template_deployment = false
  public_network_access_enabled   = !var.private_networking

  # Key Vault references are resolved over the network the app uses; without private networking it has no
  # fixed outbound address to allow, so only a private vault can deny.
  network_acls {
    default_action = var.private_networking ? "Deny" : "Allow"
    bypass         = "AzureServices"
  }

  tags = var.tags
}

data "azurerm_client_config" "current" {}

# Written through the vault's data plane: with private networking, run Terraform from inside the VNet
# (or add your runner's address to network_acls for the apply).
resource "azurerm_key_vault_secret" "ingress" {
  count            = local.ingress_secret_stored ? 1 : 0
  name             = local.ingress_secret_name
  key_vault_id     = azurerm_key_vault.this.id
  value_wo         = var.ingress_secret
  value_wo_version = var.ingress_secret_version
  content_type     = "text/plain"
  expiration_date  = var.ingress_rotate_by

  depends_on = [azurerm_role_assignment.key_vault]
}

resource "azurerm_role_assignment" "key_vault" {
  name                 = uuidv5(local.arm_guid_namespace, "${local.ids.key_vault}-${local.ids.identity}-${local.role_ids.key_vault_secrets_user}")
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}
