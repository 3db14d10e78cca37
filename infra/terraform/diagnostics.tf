# Diagnostic settings (all logs) to Log Analytics: the storage account's blob and queue services, Key
# Vault, and the function app or the Container Apps environment. The keys are known at plan time; the
# targets are resource IDs known after apply.
locals {
  diagnostic_targets = merge(
    {
      blob_service = {
        target_id = "${azurerm_storage_account.this.id}/blobServices/default"
        metric    = "Transaction"
      }
      queue_service = {
        target_id = "${azurerm_storage_account.this.id}/queueServices/default"
        metric    = "Transaction"
      }
      key_vault = {
        target_id = azurerm_key_vault.this.id
        metric    = "AllMetrics"
      }
    },
    local.functions ? {
      function_app = {
        target_id = one(azurerm_function_app_flex_consumption.this[*].id)
        metric    = "AllMetrics"
      }
    } : {},
    local.container_apps ? {
      container_environment = {
        target_id = one(azurerm_container_app_environment.this[*].id)
        metric    = "AllMetrics"
      }
    } : {}
  )
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  for_each                   = local.diagnostic_targets
  name                       = local.names.diagnostics
  target_resource_id         = each.value.target_id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  enabled_log {
    category_group = "allLogs"
  }

  enabled_metric {
    category = each.value.metric
  }
}
