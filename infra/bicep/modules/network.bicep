// Private networking: a VNet with an app subnet (Flex VNet integration or the Container Apps environment,
// both delegated to Microsoft.App/environments) and a private-endpoint subnet, plus the private DNS zones
// for blob, queue and Key Vault linked to the VNet.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('VNet name.')
param vnetName string

@description('VNet address space; split into two halves for the app and private-endpoint subnets.')
param addressPrefix string

// Each subnet is one half of the address space (Terraform: cidrsubnet(prefix, 1, n)).
var halfPrefixLength = int(split(addressPrefix, '/')[1]) + 1
var appSubnetName = 'snet-app'
var privateEndpointSubnetName = 'snet-private-endpoints'

// The zone names are the public cloud's privatelink zones, built from environment() so other clouds work.
var dnsZoneNames = [
  'privatelink.blob.${environment().suffixes.storage}'
  'privatelink.queue.${environment().suffixes.storage}'
  'privatelink.vaultcore.azure.net'
]

resource vnet 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    // Subnets are declared inline: child subnet resources get deleted and re-created on redeploy.
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, halfPrefixLength, 0)
          delegations: [
            {
              name: 'app-environments'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          privateEndpointNetworkPolicies: 'Enabled'
          defaultOutboundAccess: false
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, halfPrefixLength, 1)
          privateEndpointNetworkPolicies: 'Enabled'
          defaultOutboundAccess: false
        }
      }
    ]
  }
}

resource dnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in dnsZoneNames: {
    name: zone
    location: 'global'
    tags: tags
  }
]

resource dnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in dnsZoneNames: {
    parent: dnsZones[i]
    name: 'link-${vnetName}'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

@description('Subnet for Flex VNet integration or the Container Apps environment.')
output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, appSubnetName)

@description('Subnet for private endpoints.')
output privateEndpointSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, privateEndpointSubnetName)

@description('privatelink blob zone.')
output blobDnsZoneId string = dnsZones[0].id

@description('privatelink queue zone.')
output queueDnsZoneId string = dnsZones[1].id

@description('privatelink vault zone.')
output vaultDnsZoneId string = dnsZones[2].id
