# Private networking: an app subnet (Flex VNet integration or the Container Apps environment, both
# delegated to Microsoft.App/environments), a private-endpoint subnet, and privatelink DNS zones.

locals {
  private_dns_zones = {
    blob  = "privatelink.blob.core.windows.net"
    queue = "privatelink.queue.core.windows.net"
    vault = "privatelink.vaultcore.azure.net"
  }
}

resource "azurerm_virtual_network" "this" {
  count               = var.private_networking ? 1 : 0
  name                = local.names.vnet
  location            = var.location
  resource_group_name = data.azurerm_resource_group.tenant.name
  address_space       = [var.vnet_address_prefix]
  tags                = var.tags
}

resource "azurerm_subnet" "app" {
  count                             = var.private_networking ? 1 : 0
  name                              = "snet-app"
  resource_group_name               = data.azurerm_resource_group.tenant.name
  virtual_network_name              = azurerm_virtual_network.this[0].name
  address_prefixes                  = [cidrsubnet(var.vnet_address_prefix, 1, 0)]
  private_endpoint_network_policies = "Enabled"
  default_outbound_access_enabled   = false

  delegation {
    name = "app-environments"

    service_delegation {
      name    = "Microsoft.App/environments"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "private_endpoints" {
  count                             = var.private_networking ? 1 : 0
  name                              = "snet-private-endpoints"
  resource_group_name               = data.azurerm_resource_group.tenant.name
  virtual_network_name              = azurerm_virtual_network.this[0].name
  address_prefixes                  = [cidrsubnet(var.vnet_address_prefix, 1, 1)]
  private_endpoint_network_policies = "Enabled"
  default_outbound_access_enabled   = false
}

resource "azurerm_private_dns_zone" "this" {
  for_each            = var.private_networking ? local.private_dns_zones : {}
  name                = each.value
  resource_group_name = data.azurerm_resource_group.tenant.name
  tags                = var.tags
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  for_each              = var.private_networking ? local.private_dns_zones : {}
  name                  = "link-${local.names.vnet}"
  resource_group_name   = data.azurerm_resource_group.tenant.name
  private_dns_zone_name = azurerm_private_dns_zone.this[each.key].name
  virtual_network_id    = azurerm_virtual_network.this[0].id
  registration_enabled  = false
  tags                  = var.tags
}

# One endpoint per sub-resource; the key is the Bicep endpoint name pe-<target>-<group>.
locals {
  private_endpoints = var.private_networking ? {
    blob  = { target = local.names.storage, id = azurerm_storage_account.this.id }
    queue = { target = local.names.storage, id = azurerm_storage_account.this.id }
    vault = { target = local.names.key_vault, id = azurerm_key_vault.this.id }
  } : {}
}

resource "azurerm_private_endpoint" "this" {
  for_each            = local.private_endpoints
  name                = "pe-${each.value.target}-${each.key}"
  location            = var.location
  resource_group_name = data.azurerm_resource_group.tenant.name
  subnet_id           = azurerm_subnet.private_endpoints[0].id
  tags                = var.tags

  private_service_connection {
    name                           = "pe-${each.value.target}-${each.key}"
    private_connection_resource_id = each.value.id
    subresource_names              = [each.key]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.this[each.key].id]
  }
}
