// One private endpoint for one sub-resource (blob, queue, vault) with its DNS zone group.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Name of the resource the endpoint connects to; the endpoint is named pe-<name>-<group>.')
param targetName string

@description('Resource ID of the resource the endpoint connects to.')
param targetId string

@description('Sub-resource: blob, queue or vault.')
param groupId string

@description('Subnet for the endpoint.')
param subnetId string

@description('Private DNS zone the endpoint registers in.')
param dnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2025-05-01' = {
  name: 'pe-${targetName}-${groupId}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-${targetName}-${groupId}'
        properties: {
          privateLinkServiceId: targetId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }
}

resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2025-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: {
          privateDnsZoneId: dnsZoneId
        }
      }
    ]
  }
}
