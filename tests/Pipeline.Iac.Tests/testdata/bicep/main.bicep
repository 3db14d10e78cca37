param location string = resourceGroup().location

resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stbicep${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_0'
    allowBlobPublicAccess: false
  }
}

// pipeline:ignore:AZ-KV-001 short-lived test vault
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-bicep'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
  }
}
