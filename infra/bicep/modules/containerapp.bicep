// The pipeline as an Azure Container Apps app running its own queue listeners (the standalone mode of
// the same ASP.NET Core app), scaled on queue length by KEDA azure-queue rules read with the managed
// identity, with HTTPS ingress for the registry webhooks.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Container Apps environment name.')
param environmentName string

@description('Container app name.')
param appName string

@description('Resource ID of the app identity.')
param identityId string

@description('Container image of the pipeline app.')
param image string

@description('Resource ID of the registry the image is pulled from with the identity.')
param registryResourceId string

@description('Storage account holding the queues.')
param storageName string

@description('Queues whose length scales the app.')
param workQueues array

@description('Maximum replicas.')
param maximumReplicas int

@description('Environment variables (no secrets: the ingress secret is a Key Vault secret reference).')
param appSettings object

@description('Versionless Key Vault URI of the ingress secret, or empty with Entra authentication.')
param ingressSecretUri string

@description('Subnet for the environment (delegated to Microsoft.App/environments), or empty.')
param appSubnetId string

@description('Log Analytics workspace receiving the app logs.')
param workspaceId string

@description('Name of the diagnostic settings.')
param diagnosticsName string

var registryIdParts = split(registryResourceId, '/')
var plainEnv = [
  for setting in items(appSettings): {
    name: setting.key
    value: setting.value
  }
]
var secretEnv = empty(ingressSecretUri)
  ? []
  : [
      {
        name: 'Pipeline__Ingress__Secret'
        secretRef: 'ingress-secret'
      }
    ]
var secrets = empty(ingressSecretUri)
  ? []
  : [
      {
        name: 'ingress-secret'
        keyVaultUrl: ingressSecretUri
        identity: identityId
      }
    ]
// One rule per work queue: any backlog wakes a replica, and every 5 visible messages add one.
var queueRules = [
  for queue in workQueues: {
    name: 'queue-${queue}'
    azureQueue: {
      accountName: storageName
      queueName: queue
      queueLength: 5
      identity: identityId
    }
  }
]
var httpRule = [
  {
    name: 'http-ingress'
    http: {
      metadata: {
        concurrentRequests: '50'
      }
    }
  }
]

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: last(registryIdParts)
  scope: resourceGroup(registryIdParts[2], registryIdParts[4])
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs go through the diagnostic setting below rather than a workspace shared key.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    vnetConfiguration: empty(appSubnetId)
      ? null
      : {
          infrastructureSubnetId: appSubnetId
          internal: false
        }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    peerTrafficConfiguration: {
      encryption: {
        enabled: true
      }
    }
  }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 8080
        transport: 'http'
        allowInsecure: false
      }
      registries: [
        {
          server: registry.properties.loginServer
          identity: identityId
        }
      ]
      secrets: secrets
    }
    template: {
      containers: [
        {
          name: 'pipeline'
          image: image
          env: concat(plainEnv, secretEnv, [
            {
              name: 'ASPNETCORE_HTTP_PORTS'
              value: '8080'
            }
          ])
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maximumReplicas
        rules: concat(queueRules, httpRule)
      }
    }
  }
}

// See storage.bicep: the linter's suggested GA version is an unrelated legacy schema.
#disable-next-line use-recent-api-versions
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticsName
  scope: environment
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

@description('Public FQDN of the app\'s ingress.')
output hostName string = app.properties.configuration.ingress.fqdn
