param location string

module vault './inner/vault.bicep' = {
  name: 'vault'
  params: {
    location: location
    purgeProtection: false
  }
}
