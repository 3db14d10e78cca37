resource "azurerm_log_analytics_workspace" "this" {
  name                         = local.names.log_analytics
  location                     = var.location
  resource_group_name          = data.azurerm_resource_group.tenant.name
  sku                          = "PerGB2018"
  retention_in_days            = var.log_retention_days
  local_authentication_enabled = false
  tags                         = var.tags
}

resource "azurerm_application_insights" "this" {
  name                          = local.names.app_insights
  location                      = var.location
  resource_group_name           = data.azurerm_resource_group.tenant.name
  workspace_id                  = azurerm_log_analytics_workspace.this.id
  application_type              = "web"
  local_authentication_enabled  = false
  tags                          = var.tags
}

# Monitoring Metrics Publisher: telemetry is ingested with the identity's Entra token once local auth is off.
resource "azurerm_role_assignment" "metrics_publisher" {
  name                 = uuidv5(local.arm_guid_namespace, "${local.ids.app_insights}-${local.ids.identity}-${local.role_ids.monitoring_metrics_publish}")
  scope                = azurerm_application_insights.this.id
  role_definition_name = "Monitoring Metrics Publisher"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
  principal_type       = "ServicePrincipal"
}
