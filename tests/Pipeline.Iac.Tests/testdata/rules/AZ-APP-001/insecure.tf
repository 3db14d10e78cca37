resource "azurerm_linux_web_app" "api" {
  name                = "app-api"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan-id"

  site_config {
  }
}
