# Resource names from the tenant inputs. Keep in step with the names variable in infra/bicep/main.bicep:
# tests/Pipeline.Infra.Tests compares both for the example tenants.
locals {
  names = {
    identity              = "id-pipeline-${var.tenant_name}"
    log_analytics         = "log-pipeline-${var.tenant_name}"
    app_insights          = "appi-pipeline-${var.tenant_name}"
    storage               = "st${var.tenant_name}${var.unique_suffix}"
    key_vault             = "kv-${var.tenant_name}-${var.unique_suffix}"
    plan                  = "plan-pipeline-${var.tenant_name}"
    function_app          = "func-pipeline-${var.tenant_name}-${var.unique_suffix}"
    container_environment = "cae-pipeline-${var.tenant_name}"
    container_app         = "ca-pipeline-${var.tenant_name}"
    vnet                  = "vnet-pipeline-${var.tenant_name}"
    system_topic          = "egst-pipeline-${var.tenant_name}"
    event_subscription    = "image-pushed-to-pipeline"
    diagnostics           = "send-to-log-analytics"
  }

  functions      = var.hosting_model == "functions"
  container_apps = var.hosting_model == "containerApps"

  registry_parts = split("/", var.registry_id)
  registry = {
    subscription_id = local.registry_parts[2]
    resource_group  = local.registry_parts[4]
    name            = local.registry_parts[8]
    # Public-cloud login server: the lower-cased registry name under azurecr.io.
    login_server = "${lower(local.registry_parts[8])}.azurecr.io"
  }

  # Resource IDs known before apply, in ARM's resourceId() form, so role assignment names are computable.
  rg_id = "/subscriptions/${var.subscription_id}/resourceGroups/${var.resource_group_name}"
  ids = {
    identity     = "${local.rg_id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${local.names.identity}"
    storage      = "${local.rg_id}/providers/Microsoft.Storage/storageAccounts/${local.names.storage}"
    key_vault    = "${local.rg_id}/providers/Microsoft.KeyVault/vaults/${local.names.key_vault}"
    app_insights = "${local.rg_id}/providers/Microsoft.Insights/components/${local.names.app_insights}"
  }

  # Role assignment names are ARM's guid(scope, identity, role): a UUIDv5 under this namespace over the
  # arguments joined by "-", so Bicep and Terraform deployments manage the same assignment.
  arm_guid_namespace = "11fb06fb-712d-4ddd-98c7-e71bbd588830"

  role_ids = {
    acr_pull                   = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
    storage_blob_contributor   = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    storage_queue_contributor  = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
    key_vault_secrets_user     = "4633458b-17de-408a-b874-0445c86b69e6"
    monitoring_metrics_publish = "3913510d-42f4-4e42-8a64-420c390055eb"
  }

  work_queues = ["scan-requests", "layer-scans", "scan-aggregate", "notifications", "iac-scans", "db-updated", "image-rematch"]
  queues      = concat(local.work_queues, [for q in local.work_queues : "${q}-poison"])

  deployment_container  = "app-package"
  deadletter_container  = "deadletters"
  data_containers       = ["layers", "scans", "reports", "vulndb", "webhooks", "audit", local.deadletter_container, "iac-uploads", "dedupe"]
  containers            = local.functions ? concat(local.data_containers, [local.deployment_container]) : local.data_containers
  ingress_secret_name   = "ingress-webhook-secret"
  ingress_secret_stored = var.ingress_auth == "secret"
}
