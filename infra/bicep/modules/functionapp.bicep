// The pipeline as an Azure Functions custom handler on Flex Consumption (Linux): a self-contained
// linux-x64 publish deployed as a zip to a blob container, read with the user-assigned identity.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Flex Consumption plan name.')
param planName string

@description('Function app name (globally unique host name).')
param siteName string

@description('Resource ID of the app identity.')
param identityId string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Maximum instances.')
param maximumInstanceCount int

@description('Memory per instance in MB.')
param instanceMemoryMB int

@description('App settings (no secrets: the ingress secret is a Key Vault reference).')
param appSettings object

@description('Versionless Key Vault URI of the ingress secret, or empty with Entra authentication.')
param ingressSecretUri string

@description('Subnet for VNet integration, or empty.')
param appSubnetId string

@description('Log Analytics workspace receiving the function logs.')
param workspaceId string

@description('Name of the diagnostic settings.')
param diagnosticsName string

var plainSettings = [
  for setting in items(appSettings): {
    name: setting.key
    value: setting.value
  }
]

var secretSettings = empty(ingressSecretUri)
  ? []
  : [
      {
        name: 'Pipeline__Ingress__Secret'
        value: '@Microsoft.KeyVault(SecretUri=${ingressSecretUri})'
      }
    ]

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: siteName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(appSubnetId) ? null : appSubnetId
    // The ingress must stay reachable by Event Grid and registry webhooks; every request is authenticated.
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      remoteDebuggingEnabled: false
      http20Enabled: true
      appSettings: concat(plainSettings, secretSettings)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // The app is a self-contained ASP.NET Core server the host calls over HTTP (host.json customHandler).
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }
}

// No FTP or SCM basic-auth publishing: deployments use Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// See storage.bicep: the linter's suggested GA version is an unrelated legacy schema.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticsName
  scope: site
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
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

@description('Default host name of the function app.')
output hostName string = site.properties.defaultHostName
