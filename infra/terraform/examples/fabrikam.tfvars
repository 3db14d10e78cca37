# Fabrikam: Azure Container Apps with KEDA queue scaling, public endpoints, Event Grid authenticates with an
# Entra token. Same inputs as infra/bicep/tenants/fabrikam.bicepparam.
subscription_id              = "00000000-0000-0000-0000-000000000000"
resource_group_name          = "rg-pipeline-fabrikam"
tenant_name                  = "fabrikam"
unique_suffix                = "p3m9"
location                     = "northeurope"
hosting_model                = "containerApps"
private_networking           = false
registry_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fabrikam-registry/providers/Microsoft.ContainerRegistry/registries/fabrikamcr"
registry_location            = "northeurope"
subscribe_to_registry_events = true
ingress_auth                 = "entra"
entra_application_id_or_uri  = "api://fabrikam-pipeline-ingress"
ingress_rotate_by            = "2027-11-30T00:00:00Z"
container_image              = "fabrikamcr.azurecr.io/pipeline:1.0.0"
maximum_instance_count       = 20
log_retention_days           = 90
tags = {
  tenant   = "fabrikam"
  workload = "container-scanning"
}
