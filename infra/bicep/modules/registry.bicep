// Deployed into the registry's resource group: AcrPull for the app identity on the tenant's ACR, and an
// Event Grid system topic on the ACR whose subscription delivers image pushes to the ingress webhook.

@description('Name of the tenant\'s ACR (in this module\'s resource group).')
param registryName string

@description('Region of the registry; a system topic lives in its source\'s region.')
param registryLocation string

@description('Tags applied to every resource.')
param tags object

@description('Principal ID of the app identity.')
param identityPrincipalId string

@description('Resource ID of the app identity; also the identity Event Grid dead-letters with.')
param identityId string

@description('System topic name.')
param systemTopicName string

@description('Create the event subscription (the ingress must already answer the validation handshake).')
param subscribe bool

@description('Event subscription name.')
param eventSubscriptionName string

@description('HTTPS URL of the ingress route. Secure because Event Grid treats endpoint URLs as secrets (they may carry a function key).')
@secure()
param ingressUrl string

@description('secret: a static secret header; entra: an Entra token for entraApplicationIdOrUri.')
param ingressAuth string

@description('The secret sent in the ingress header (secret authentication).')
@secure()
param ingressSecret string

@description('Header carrying the ingress secret.')
param ingressHeaderName string

@description('Entra tenant issuing the delivery token (entra authentication).')
param entraTenantId string

@description('Entra application ID or URI the delivery token is for (entra authentication).')
param entraApplicationIdOrUri string

@description('Storage account receiving dead-lettered events.')
param deadLetterStorageId string

@description('Container receiving dead-lettered events.')
param deadLetterContainerName string

var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identityId, acrPullRoleId)
  scope: registry
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
  }
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: registryLocation
  tags: tags
  // Dead-lettering with this identity works with shared keys off and through the storage firewall.
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    source: registry.id
    topicType: 'Microsoft.ContainerRegistry.Registries'
  }
}

resource pushes 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (subscribe) {
  parent: systemTopic
  name: eventSubscriptionName
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: ingressUrl
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
        azureActiveDirectoryTenantId: ingressAuth == 'entra' ? entraTenantId : null
        azureActiveDirectoryApplicationIdOrUri: ingressAuth == 'entra' ? entraApplicationIdOrUri : null
        deliveryAttributeMappings: ingressAuth == 'secret'
          ? [
              {
                name: ingressHeaderName
                type: 'Static'
                properties: {
                  value: ingressSecret
                  isSecret: true
                }
              }
            ]
          : []
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.ContainerRegistry.ImagePushed'
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: identityId
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterStorageId
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

@description('Login server of the registry.')
output loginServer string = registry.properties.loginServer
