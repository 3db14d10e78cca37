# In the registry's subscription and resource group: AcrPull for the app identity, and an Event Grid system
# topic on the ACR whose subscription delivers image pushes to the ingress webhook.

resource "azurerm_role_assignment" "acr_pull" {
  provider             = azurerm.registry
  name                 = uuidv5(local.arm_guid_namespace, "${var.registry_id}-${local.ids.identity}-${local.role_ids.acr_pull}")
  scope                = var.registry_id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_eventgrid_system_topic" "registry" {
  provider            = azurerm.registry
  name                = local.names.system_topic
  resource_group_name = local.registry.resource_group
  location            = var.registry_location
  source_resource_id  = var.registry_id
  topic_type          = "Microsoft.ContainerRegistry.Registries"

  # Dead-lettering with this identity works with shared keys off and through the storage firewall.
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  tags = var.tags
}

resource "azurerm_eventgrid_system_topic_event_subscription" "pushes" {
  provider            = azurerm.registry
  count               = var.subscribe_to_registry_events ? 1 : 0
  name                = local.names.event_subscription
  system_topic        = azurerm_eventgrid_system_topic.registry.name
  resource_group_name = local.registry.resource_group

  included_event_types  = ["Microsoft.ContainerRegistry.ImagePushed"]
  event_delivery_schema = "EventGridSchema"

  webhook_endpoint {
    url                               = local.ingress_url
    max_events_per_batch              = 1
    preferred_batch_size_in_kilobytes = 64
    active_directory_tenant_id        = var.ingress_auth == "entra" ? data.azurerm_client_config.current.tenant_id : null
    active_directory_app_id_or_uri    = var.ingress_auth == "entra" ? var.entra_application_id_or_uri : null
  }

  dynamic "delivery_property" {
    for_each = var.ingress_auth == "secret" ? [var.ingress_header_name] : []
    content {
      header_name = delivery_property.value
      type        = "Static"
      value       = var.ingress_secret
      secret      = true
    }
  }

  retry_policy {
    max_delivery_attempts = 30
    event_time_to_live    = 1440
  }

  dead_letter_identity {
    type                   = "UserAssigned"
    user_assigned_identity = azurerm_user_assigned_identity.app.id
  }

  storage_blob_dead_letter_destination {
    storage_account_id          = azurerm_storage_account.this.id
    storage_blob_container_name = local.deadletter_container
  }

  depends_on = [azurerm_role_assignment.storage]
}
