data "azurerm_resource_group" "tenant" {
  name = var.resource_group_name
}

resource "azurerm_user_assigned_identity" "app" {
  name                = local.names.identity
  location            = var.location
  resource_group_name = data.azurerm_resource_group.tenant.name
  tags                = var.tags
}
