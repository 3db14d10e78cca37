resource "azurerm_mssql_server" "main" {
  name                         = "sql-main"
  resource_group_name          = "rg"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
}
