resource "azurerm_linux_web_app" "api" {
  name                = "app-api"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan-id"
  https_only          = true

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.0"
  }
}
