// Key Vault for webhook secrets: RBAC authorization, purge protection, 90-day soft delete, firewall,
// diagnostic logs, the app identity as Secrets User, and a private endpoint when private networking is on.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Key Vault name (3 to 24 characters, globally unique).')
param vaultName string

@description('Disable public network access and add a private endpoint.')
param privateNetworking bool

@description('Private-endpoint subnet (privateNetworking only).')
param privateEndpointSubnetId string

@description('privatelink vault DNS zone (privateNetworking only).')
param vaultDnsZoneId string

@description('Store the ingress secret (secret authentication only).')
param storeIngressSecret bool

@description('The ingress secret Event Grid sends.')
@secure()
param ingressSecret string

@description('When the ingress secret expires in Key Vault (ISO 8601); rotate it before then.')
param ingressRotateBy string

@description('Principal ID of the app identity.')
param identityPrincipalId string

@description('Resource ID of the app identity (keys the role assignment name).')
param identityId string

@description('Log Analytics workspace receiving the audit logs.')
param workspaceId string

@description('Name of the diagnostic settings.')
param diagnosticsName string

var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var ingressSecretName = 'ingress-webhook-secret'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    // Key Vault references are resolved by the app platform over the network the app uses; without
    // private networking it has no fixed outbound address to allow, so only a private vault can deny.
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (storeIngressSecret) {
  parent: vault
  name: ingressSecretName
  properties: {
    value: ingressSecret
    contentType: 'text/plain'
    attributes: {
      enabled: true
      exp: dateTimeToEpoch(ingressRotateBy)
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityId, secretsUserRoleId)
  scope: vault
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
  }
}

// See storage.bicep: the linter's suggested GA version is an unrelated legacy schema.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticsName
  scope: vault
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

module endpoint 'privateendpoint.bicep' = if (privateNetworking) {
  name: 'pe-vault'
  params: {
    location: location
    tags: tags
    targetName: vault.name
    targetId: vault.id
    groupId: 'vault'
    subnetId: privateEndpointSubnetId
    dnsZoneId: vaultDnsZoneId
  }
}

@description('Versionless URI of the ingress secret, for Key Vault references.')
output ingressSecretUri string = '${vault.properties.vaultUri}secrets/${ingressSecretName}'
