// Fabrikam: Azure Container Apps with KEDA queue scaling, public endpoints, Event Grid authenticates with
// an Entra token for the app registration that protects the ingress.
using '../main.bicep'

param tenantName = 'fabrikam'
param uniqueSuffix = 'p3m9'
param location = 'northeurope'
param hostingModel = 'containerApps'
param privateNetworking = false
param registryResourceId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fabrikam-registry/providers/Microsoft.ContainerRegistry/registries/fabrikamcr'
param registryLocation = 'northeurope'
param subscribeToRegistryEvents = true
param ingressAuth = 'entra'
param entraApplicationIdOrUri = 'api://fabrikam-pipeline-ingress'
param containerImage = 'fabrikamcr.azurecr.io/pipeline:1.0.0'
param maximumInstanceCount = 20
param logRetentionDays = 90
param tags = {
  tenant: 'fabrikam'
  workload: 'container-scanning'
}
