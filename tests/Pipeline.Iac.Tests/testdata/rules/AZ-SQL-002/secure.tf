resource "azurerm_mssql_server" "main" {
  name                         = "sql-main"
  resource_group_name          = "rg"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
}

resource "azurerm_mssql_server_extended_auditing_policy" "main" {
  server_id         = azurerm_mssql_server.main.id
  storage_endpoint  = "https://staudit.blob.core.windows.net/"
  retention_in_days = 90
}
