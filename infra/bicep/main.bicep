// One tenant's scanning pipeline: storage (queues, blobs), the app (Flex Consumption custom handler or
// Azure Container Apps), its managed identity and least-privilege roles, Key Vault for webhook secrets,
// monitoring, optional private networking, and the Event Grid subscription on the tenant's ACR.
// Deploy into an existing resource group: az deployment group create -g <rg> -f main.bicep -p tenants/<t>.bicepparam
// Resource names come from one place (the names variable) and match infra/terraform's naming local.
targetScope = 'resourceGroup'

@description('Short tenant name: 3 to 10 lowercase letters or digits. Goes into every resource name.')
@minLength(3)
@maxLength(10)
param tenantName string

@description('Stable 4 to 6 lowercase letters or digits making globally unique names (storage, Key Vault, function app) unique. Keep it for the life of the tenant; Terraform takes the same value.')
@minLength(4)
@maxLength(6)
param uniqueSuffix string

@description('Azure region for the tenant\'s resources. The Event Grid system topic always goes to the registry\'s own region.')
param location string = resourceGroup().location

@description('How the app runs: an Azure Functions custom handler on Flex Consumption, or Azure Container Apps with its own queue listeners scaled by KEDA azure-queue rules.')
@allowed([
  'functions'
  'containerApps'
])
param hostingModel string = 'functions'

@description('Private networking: VNet, app VNet integration, private endpoints and DNS zones for blob, queue and Key Vault; storage and Key Vault deny public network access.')
param privateNetworking bool = true

@description('Address space of the tenant VNet when privateNetworking is on (a /24 or larger).')
param vnetAddressPrefix string = '10.60.0.0/24'

@description('Resource ID of the tenant\'s Azure Container Registry. The app gets AcrPull on it and its pushes are delivered to the ingress.')
param registryResourceId string

@description('Region of the tenant\'s registry; the Event Grid system topic must live there.')
param registryLocation string

@description('Create the Event Grid subscription. Event Grid validates the endpoint on creation, so deploy the app code first, then set this to true.')
param subscribeToRegistryEvents bool = true

@description('How Event Grid authenticates to the ingress: a static secret header (secret) or an Entra token (entra).')
@allowed([
  'secret'
  'entra'
])
param ingressAuth string = 'secret'

@description('The shared secret Event Grid sends in the ingress secret header (ingressAuth = secret); stored in Key Vault. At least 32 characters.')
@secure()
param ingressSecret string = ''

@description('Header carrying the ingress secret.')
param ingressHeaderName string = 'X-Pipeline-Ingress-Secret'

@description('Expiry of the ingress secret in Key Vault (ISO 8601). Rotate it before then.')
param ingressRotateBy string = dateTimeAdd(utcNow(), 'P1Y')

@description('Entra application ID or URI that protects the ingress (ingressAuth = entra).')
param entraApplicationIdOrUri string = ''

@description('Path of the ACR ingress route on the app host.')
param acrIngressPath string = '/api/ingress/eventgrid'

@description('Container image of the pipeline app (containerApps hosting), e.g. myacr.azurecr.io/pipeline:1.0.0. Pulled with the managed identity.')
param containerImage string = ''

@description('Maximum instances (Flex) or replicas (Container Apps).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per Flex instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Tags applied to every resource.')
param tags object = {}

var names = {
  identity: 'id-pipeline-${tenantName}'
  logAnalytics: 'log-pipeline-${tenantName}'
  appInsights: 'appi-pipeline-${tenantName}'
  storage: 'st${tenantName}${uniqueSuffix}'
  keyVault: 'kv-${tenantName}-${uniqueSuffix}'
  plan: 'plan-pipeline-${tenantName}'
  functionApp: 'func-pipeline-${tenantName}-${uniqueSuffix}'
  containerEnvironment: 'cae-pipeline-${tenantName}'
  containerApp: 'ca-pipeline-${tenantName}'
  vnet: 'vnet-pipeline-${tenantName}'
  systemTopic: 'egst-pipeline-${tenantName}'
  eventSubscription: 'image-pushed-to-pipeline'
  diagnostics: 'send-to-log-analytics'
}

var workQueues = [
  'scan-requests'
  'layer-scans'
  'scan-aggregate'
  'notifications'
  'iac-scans'
  'db-updated'
  'image-rematch'
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: names.logAnalytics
    appInsightsName: names.appInsights
    retentionDays: logRetentionDays
    identityPrincipalId: identity.properties.principalId
    identityId: identity.id
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    location: location
    tags: tags
    vnetName: names.vnet
    addressPrefix: vnetAddressPrefix
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    storageName: names.storage
    workQueues: workQueues
    includeDeploymentContainer: hostingModel == 'functions'
    privateNetworking: privateNetworking
    privateEndpointSubnetId: privateNetworking ? network!.outputs.privateEndpointSubnetId : ''
    blobDnsZoneId: privateNetworking ? network!.outputs.blobDnsZoneId : ''
    queueDnsZoneId: privateNetworking ? network!.outputs.queueDnsZoneId : ''
    identityPrincipalId: identity.properties.principalId
    identityId: identity.id
    workspaceId: monitoring.outputs.workspaceId
    diagnosticsName: names.diagnostics
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    tags: tags
    vaultName: names.keyVault
    privateNetworking: privateNetworking
    privateEndpointSubnetId: privateNetworking ? network!.outputs.privateEndpointSubnetId : ''
    vaultDnsZoneId: privateNetworking ? network!.outputs.vaultDnsZoneId : ''
    storeIngressSecret: ingressAuth == 'secret'
    ingressSecret: ingressSecret
    ingressRotateBy: ingressRotateBy
    identityPrincipalId: identity.properties.principalId
    identityId: identity.id
    workspaceId: monitoring.outputs.workspaceId
    diagnosticsName: names.diagnostics
  }
}

var appSettings = {
  // Identity-based host storage: no connection string, no shared key.
  AzureWebJobsStorage__accountName: names.storage
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  AZURE_CLIENT_ID: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  // Local auth is off on Application Insights, so telemetry is sent with the identity's Entra token.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  Pipeline__Tenant: tenantName
  Pipeline__StorageAccount: names.storage
  Pipeline__Ingress__SecretHeader: ingressHeaderName
  Pipeline__Ingress__Auth: ingressAuth
  Pipeline__Ingress__EntraAudience: entraApplicationIdOrUri
  Pipeline__Ingress__EventGridSubscription: names.eventSubscription
  Pipeline__Ingress__EntraTenantId: tenant().tenantId
  // Only the tenant's registry may be pulled from: an event naming any other host is refused (no SSRF).
  Pipeline__Ingress__AllowedRegistries: '${last(split(registryResourceId, '/'))}.azurecr.io'
}

module functionApp 'modules/functionapp.bicep' = if (hostingModel == 'functions') {
  name: 'functionApp'
  params: {
    location: location
    tags: tags
    planName: names.plan
    siteName: names.functionApp
    identityId: identity.id
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${storage.outputs.deploymentContainerName}'
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: appSettings
    ingressSecretUri: ingressAuth == 'secret' ? keyVault.outputs.ingressSecretUri : ''
    appSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    workspaceId: monitoring.outputs.workspaceId
    diagnosticsName: names.diagnostics
  }
}

module containerApp 'modules/containerapp.bicep' = if (hostingModel == 'containerApps') {
  name: 'containerApp'
  params: {
    location: location
    tags: tags
    environmentName: names.containerEnvironment
    appName: names.containerApp
    identityId: identity.id
    image: containerImage
    registryResourceId: registryResourceId
    storageName: names.storage
    workQueues: workQueues
    maximumReplicas: maximumInstanceCount
    appSettings: appSettings
    ingressSecretUri: ingressAuth == 'secret' ? keyVault.outputs.ingressSecretUri : ''
    appSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    workspaceId: monitoring.outputs.workspaceId
    diagnosticsName: names.diagnostics
  }
}

var appHostName = hostingModel == 'functions' ? functionApp!.outputs.hostName : containerApp!.outputs.hostName
var ingressUrl = 'https://${appHostName}${acrIngressPath}/${tenantName}'

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: resourceGroup(split(registryResourceId, '/')[2], split(registryResourceId, '/')[4])
  params: {
    registryName: last(split(registryResourceId, '/'))
    registryLocation: registryLocation
    tags: tags
    identityPrincipalId: identity.properties.principalId
    identityId: identity.id
    systemTopicName: names.systemTopic
    subscribe: subscribeToRegistryEvents
    eventSubscriptionName: names.eventSubscription
    ingressUrl: ingressUrl
    ingressAuth: ingressAuth
    ingressSecret: ingressSecret
    ingressHeaderName: ingressHeaderName
    entraTenantId: tenant().tenantId
    entraApplicationIdOrUri: entraApplicationIdOrUri
    deadLetterStorageId: storage.outputs.storageId
    deadLetterContainerName: storage.outputs.deadLetterContainerName
  }
}

@description('HTTPS URL the registry events are delivered to.')
output ingressUrl string = ingressUrl

@description('Host name of the app (Functions or Container Apps).')
output appHostName string = appHostName

@description('Resource ID of the app\'s user-assigned managed identity.')
output identityId string = identity.id

@description('Client ID of the managed identity (AZURE_CLIENT_ID for the app).')
output identityClientId string = identity.properties.clientId

@description('Principal (object) ID of the managed identity, for granting it access to more registries.')
output identityPrincipalId string = identity.properties.principalId

@description('Name of the storage account holding queues, layers, reports and the deployment package.')
output storageAccountName string = names.storage

@description('Name of the Key Vault holding webhook secrets.')
output keyVaultName string = names.keyVault
