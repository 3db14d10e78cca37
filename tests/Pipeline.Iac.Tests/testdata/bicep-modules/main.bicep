// A deployment built from local modules: findings belong to the module files, evaluated with these values.
param location string = resourceGroup().location

module legacy './modules/storage.bicep' = {
  name: 'legacy-storage'
  params: {
    location: location
    prefix: 'legacy'
    tls: 'TLS1_0'
  }
}

module current './modules/storage.bicep' = {
  name: 'current-storage'
  params: {
    location: location
    prefix: 'current'
  }
}

module app './modules/app.bicep' = {
  name: 'app'
  params: {
    location: location
  }
}
