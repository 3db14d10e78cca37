// The tenant's storage account: the pipeline's queues (each with its -poison queue), blob containers,
// diagnostic settings on the blob and queue services, the app identity's data roles, and private endpoints.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Storage account name (3 to 24 lowercase letters and digits).')
param storageName string

@description('The pipeline\'s work queues; each also gets a <name>-poison queue.')
param workQueues array

@description('Add the app-package container Flex Consumption deploys the app from.')
param includeDeploymentContainer bool

@description('Deny public network access and add private endpoints for blob and queue.')
param privateNetworking bool

@description('Private-endpoint subnet (privateNetworking only).')
param privateEndpointSubnetId string

@description('privatelink blob DNS zone (privateNetworking only).')
param blobDnsZoneId string

@description('privatelink queue DNS zone (privateNetworking only).')
param queueDnsZoneId string

@description('Principal ID of the app identity.')
param identityPrincipalId string

@description('Resource ID of the app identity (keys the role assignment names).')
param identityId string

@description('Log Analytics workspace receiving the diagnostic logs.')
param workspaceId string

@description('Name of the diagnostic settings.')
param diagnosticsName string

var deploymentContainerName = 'app-package'
var deadLetterContainerName = 'deadletters'
var dataContainers = [
  'layers'
  'scans'
  'reports'
  'vulndb'
  'webhooks'
  'audit'
  deadLetterContainerName
  'iac-uploads'
  'dedupe'
]
var containers = includeDeploymentContainer ? concat(dataContainers, [deploymentContainerName]) : dataContainers
var queues = concat(workQueues, map(workQueues, q => '${q}-poison'))

// Least privilege for the app identity on this account:
// - Storage Blob Data Contributor: layers, reports, scan state, leases (the Functions host's locks and keys
//   are blobs too) and reading the Flex deployment package from app-package. The Functions docs list
//   Blob Data Owner for AzureWebJobsStorage; Owner only adds POSIX ACL management on hierarchical
//   namespace accounts, which this account is not, so Contributor is enough.
// - Storage Queue Data Contributor: queue triggers read, delete and create messages and must be able to
//   create and write the -poison queues (Message Processor cannot).
var roleIds = [
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
]

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: storageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // Flex Consumption with identity-based AzureWebJobsStorage and identity-based deployment storage
    // needs no account key, so shared keys are off and every client uses Entra ID.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    // Without private networking the app reaches storage over the public endpoint (Flex and Container Apps
    // have no fixed outbound addresses), so the firewall can only deny when the private endpoints exist.
    // AzureServices stays bypassed for Event Grid dead-lettering with a managed identity.
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for name in containers: {
    parent: blobService
    name: name
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for name in queues: {
    parent: queueService
    name: name
  }
]

// The linter's "newer" GA version 2016-09-01 is an unrelated legacy schema (no workspaceId, no category
// groups); 2021-05-01-preview is the current diagnostic-settings API, so the rule is waived on these lines.
#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticsName
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

#disable-next-line use-recent-api-versions
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticsName
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource dataRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleIds: {
    name: guid(account.id, identityId, roleId)
    scope: account
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

module blobEndpoint 'privateendpoint.bicep' = if (privateNetworking) {
  name: 'pe-blob'
  params: {
    location: location
    tags: tags
    targetName: account.name
    targetId: account.id
    groupId: 'blob'
    subnetId: privateEndpointSubnetId
    dnsZoneId: blobDnsZoneId
  }
}

module queueEndpoint 'privateendpoint.bicep' = if (privateNetworking) {
  name: 'pe-queue'
  params: {
    location: location
    tags: tags
    targetName: account.name
    targetId: account.id
    groupId: 'queue'
    subnetId: privateEndpointSubnetId
    dnsZoneId: queueDnsZoneId
  }
}

@description('Resource ID of the account.')
output storageId string = account.id

@description('Blob endpoint, ending in a slash.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Container Flex deploys the app package from.')
output deploymentContainerName string = deploymentContainerName

@description('Container Event Grid dead-letters undeliverable events to.')
output deadLetterContainerName string = deadLetterContainerName
