resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-standalone'
  location: 'westeurope'
  properties: {
    tenantId: subscription().tenantId
    enablePurgeProtection: true
    sku: {
      family: 'A'
      name: 'standard'
    }
  }
}
