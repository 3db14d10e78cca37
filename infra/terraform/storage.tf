# The tenant's storage account: queues (each with its -poison queue), blob containers, diagnostic
# settings on the blob and queue services, and the app identity's data roles.

resource "azurerm_storage_account" "this" {
  name                     = local.names.storage
  location                 = var.location
  resource_group_name      = data.azurerm_resource_group.tenant.name
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  access_tier              = "Hot"

  allow_nested_items_to_be_public = false
  # Flex Consumption with identity-based AzureWebJobsStorage and deployment storage needs no account key.
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  infrastructure_encryption_enabled = true
  queue_encryption_key_type         = "Account"
  public_network_access_enabled     = !var.private_networking

  # Without private networking the app reaches storage over the public endpoint (no fixed outbound
  # addresses), so the firewall can only deny when the private endpoints exist. AzureServices stays
  # bypassed for Event Grid dead-lettering with a managed identity.
  network_rules {
    default_action = var.private_networking ? "Deny" : "Allow"
    bypass         = ["AzureServices"]
  }

  blob_properties {
    delete_retention_policy {
      days = 7
    }

    container_delete_retention_policy {
      days = 7
    }
  }

  tags = var.tags
}

resource "azurerm_storage_container" "this" {
  for_each              = toset(local.containers)
  name                  = each.value
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

resource "azurerm_storage_queue" "this" {
  for_each           = toset(local.queues)
  name               = each.value
  storage_account_id = azurerm_storage_account.this.id
}

# Least privilege for the app identity on this account:
# - Storage Blob Data Contributor: layers, reports, scan state, leases (the Functions host's locks and keys
#   are blobs too) and reading the Flex deployment package. The Functions docs list Blob Data Owner for
#   AzureWebJobsStorage; Owner only adds POSIX ACL management on hierarchical-namespace accounts.
# - Storage Queue Data Contributor: queue triggers must create and write the -poison queues.
resource "azurerm_role_assignment" "storage" {
  for_each = {
    "Storage Blob Data Contributor"  = local.role_ids.storage_blob_contributor
    "Storage Queue Data Contributor" = local.role_ids.storage_queue_contributor
  }
  name                 = uuidv5(local.arm_guid_namespace, "${local.ids.storage}-${local.ids.identity}-${each.value}")
  scope                = azurerm_storage_account.this.id
  role_definition_name = each.key
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}
