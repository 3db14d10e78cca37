# Contoso: Flex Consumption custom handler, private networking, Event Grid authenticates with a secret header.
# Same inputs as infra/bicep/tenants/contoso.bicepparam. The secret comes from the environment:
#   export TF_VAR_ingress_secret="$(openssl rand -base64 48)"
subscription_id              = "00000000-0000-0000-0000-000000000000"
resource_group_name          = "rg-pipeline-contoso"
tenant_name                  = "contoso"
unique_suffix                = "k7q2"
location                     = "westeurope"
hosting_model                = "functions"
private_networking           = true
vnet_address_prefix          = "10.60.0.0/24"
registry_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-registry/providers/Microsoft.ContainerRegistry/registries/contosoimages"
registry_location            = "westeurope"
subscribe_to_registry_events = true
ingress_auth                 = "secret"
ingress_rotate_by            = "2027-11-30T00:00:00Z"
maximum_instance_count       = 40
instance_memory_mb           = 2048
log_retention_days           = 90
tags = {
  tenant   = "contoso"
  workload = "container-scanning"
}
