param location string = resourceGroup().location

resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  location: location
  properties: {
    minimumTlsVersion: 'TLS1_2'
  
}
