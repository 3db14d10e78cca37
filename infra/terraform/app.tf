# The app: an Azure Functions custom handler on Flex Consumption, or Azure Container Apps running the same
# ASP.NET Core app's own queue listeners, chosen by var.hosting_model.

locals {
  ingress_secret_uri = "${azurerm_key_vault.this.vault_uri}secrets/${local.ingress_secret_name}"

  app_settings = {
    # Identity-based host storage: no connection string, no shared key.
    AzureWebJobsStorage__accountName      = local.names.storage
    AzureWebJobsStorage__credential       = "managedidentity"
    AzureWebJobsStorage__clientId         = azurerm_user_assigned_identity.app.client_id
    AZURE_CLIENT_ID                       = azurerm_user_assigned_identity.app.client_id
    APPLICATIONINSIGHTS_CONNECTION_STRING = azurerm_application_insights.this.connection_string
    # Local auth is off on Application Insights, so telemetry is sent with the identity's Entra token.
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "ClientId=${azurerm_user_assigned_identity.app.client_id};Authorization=AAD"
    Pipeline__Tenant                          = var.tenant_name
    Pipeline__StorageAccount                  = local.names.storage
    Pipeline__Ingress__SecretHeader           = var.ingress_header_name
    Pipeline__Ingress__Auth                   = var.ingress_auth
    Pipeline__Ingress__EntraAudience          = var.entra_application_id_or_uri
    Pipeline__Ingress__EventGridSubscription  = local.names.event_subscription
    Pipeline__Ingress__EntraTenantId          = data.azurerm_client_config.current.tenant_id
    # Only the tenant's registry may be pulled from: an event naming any other host is refused (no SSRF).
    Pipeline__Ingress__AllowedRegistries      = "${element(split("/", var.registry_id), 8)}.azurecr.io"
  }

  app_host_name = local.functions ? azurerm_function_app_flex_consumption.this[0].default_hostname : azurerm_container_app.this[0].ingress[0].fqdn
  ingress_url   = "https://${local.app_host_name}${var.acr_ingress_path}/${var.tenant_name}"
}

resource "azurerm_service_plan" "this" {
  count               = local.functions ? 1 : 0
  name                = local.names.plan
  location            = var.location
  resource_group_name = data.azurerm_resource_group.tenant.name
  os_type             = "Linux"
  sku_name            = "FC1"
  tags                = var.tags
}

resource "azurerm_function_app_flex_consumption" "this" {
  count               = local.functions ? 1 : 0
  name                = local.names.function_app
  location            = var.location
  resource_group_name = data.azurerm_resource_group.tenant.name
  service_plan_id     = azurerm_service_plan.this[0].id

  # The self-contained linux-x64 publish is deployed as a zip to this container and read with the identity.
  storage_container_type            = "blobContainer"
  storage_container_endpoint        = "${azurerm_storage_account.this.primary_blob_endpoint}${local.deployment_container}"
  storage_authentication_type       = "UserAssignedIdentity"
  storage_user_assigned_identity_id = azurerm_user_assigned_identity.app.id
  # The app is an ASP.NET Core server the host calls over HTTP (host.json customHandler).
  runtime_name           = "custom"
  runtime_version        = "1.0"
  maximum_instance_count = var.maximum_instance_count
  instance_memory_in_mb  = var.instance_memory_mb

  https_only = true
  # The ingress must stay reachable by Event Grid and registry webhooks; every request is authenticated.
  public_network_access_enabled                  = true
  webdeploy_publish_basic_authentication_enabled = false
  key_vault_reference_identity_id                = azurerm_user_assigned_identity.app.id
  virtual_network_subnet_id                      = var.private_networking ? azurerm_subnet.app[0].id : null

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  site_config {
    minimum_tls_version      = "1.2"
    scm_minimum_tls_version  = "1.2"
    remote_debugging_enabled = false
    http2_enabled            = true
  }

  app_settings = merge(local.app_settings, local.ingress_secret_stored ? {
    Pipeline__Ingress__Secret = "@Microsoft.KeyVault(SecretUri=${local.ingress_secret_uri})"
  } : {})

  tags = var.tags
}

resource "azurerm_container_app_environment" "this" {
  count               = local.container_apps ? 1 : 0
  name                = local.names.container_environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.tenant.name
  # Logs go through the diagnostic setting below rather than a workspace shared key.
  logs_destination         = "azure-monitor"
  infrastructure_subnet_id = var.private_networking ? azurerm_subnet.app[0].id : null
  mutual_tls_enabled       = true

  workload_profile {
    name                  = "Consumption"
    workload_profile_type = "Consumption"
  }

  tags = var.tags
}

resource "azurerm_container_app" "this" {
  count                        = local.container_apps ? 1 : 0
  name                         = local.names.container_app
  resource_group_name          = data.azurerm_resource_group.tenant.name
  container_app_environment_id = azurerm_container_app_environment.this[0].id
  revision_mode                = "Single"
  workload_profile_name        = "Consumption"

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  registry {
    server   = local.registry.login_server
    identity = azurerm_user_assigned_identity.app.id
  }

  dynamic "secret" {
    for_each = local.ingress_secret_stored ? [local.ingress_secret_uri] : []
    content {
      name                = "ingress-secret"
      key_vault_secret_id = secret.value
      identity            = azurerm_user_assigned_identity.app.id
    }
  }

  ingress {
    external_enabled           = true
    target_port                = 8080
    transport                  = "http"
    allow_insecure_connections = false

    traffic_weight {
      latest_revision = true
      percentage      = 100
    }
  }

  template {
    min_replicas = 0
    max_replicas = var.maximum_instance_count

    container {
      name   = "pipeline"
      image  = var.container_image
      cpu    = 1.0
      memory = "2Gi"

      dynamic "env" {
        for_each = merge(local.app_settings, { ASPNETCORE_HTTP_PORTS = "8080" })
        content {
          name  = env.key
          value = env.value
        }
      }

      dynamic "env" {
        for_each = local.ingress_secret_stored ? ["ingress-secret"] : []
        content {
          name        = "Pipeline__Ingress__Secret"
          secret_name = env.value
        }
      }
    }

    # One KEDA azure-queue rule per work queue, read with the managed identity: any backlog wakes a
    # replica, and every 5 visible messages add one.
    dynamic "custom_scale_rule" {
      for_each = toset(local.work_queues)
      content {
        name             = "queue-${custom_scale_rule.value}"
        custom_rule_type = "azure-queue"
        identity_id      = azurerm_user_assigned_identity.app.id
        metadata = {
          accountName = local.names.storage
          queueName   = custom_scale_rule.value
          queueLength = "5"
        }
      }
    }

    http_scale_rule {
      name                = "http-ingress"
      concurrent_requests = "50"
    }
  }

  tags = var.tags
}
