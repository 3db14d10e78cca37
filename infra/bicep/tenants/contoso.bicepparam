// Contoso: Flex Consumption custom handler, private networking, Event Grid authenticates with a secret header.
// The secret comes from the environment so it never lands in source control:
//   export PIPELINE_INGRESS_SECRET="$(openssl rand -base64 48)"
using '../main.bicep'

param tenantName = 'contoso'
param uniqueSuffix = 'k7q2'
param location = 'westeurope'
param hostingModel = 'functions'
param privateNetworking = true
param vnetAddressPrefix = '10.60.0.0/24'
param registryResourceId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-registry/providers/Microsoft.ContainerRegistry/registries/contosoimages'
param registryLocation = 'westeurope'
param subscribeToRegistryEvents = true
param ingressAuth = 'secret'
param ingressSecret = readEnvironmentVariable('PIPELINE_INGRESS_SECRET')
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param logRetentionDays = 90
param tags = {
  tenant: 'contoso'
  workload: 'container-scanning'
}
