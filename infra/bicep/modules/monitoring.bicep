// Log Analytics workspace and a workspace-based Application Insights with local (key) auth disabled.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Days the workspace keeps logs.')
param retentionDays int

@description('Principal ID of the app identity, granted Monitoring Metrics Publisher to send telemetry with Entra auth.')
param identityPrincipalId string

@description('Resource ID of the app identity (keys the role assignment name).')
param identityId string

// Monitoring Metrics Publisher: needed to ingest telemetry once DisableLocalAuth removes instrumentation-key ingestion.
var metricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
    features: {
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityId, metricsPublisherRoleId)
  scope: appInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisherRoleId)
  }
}

@description('Resource ID of the Log Analytics workspace (diagnostic settings target).')
output workspaceId string = workspace.id

@description('Application Insights connection string (no secret: ingestion needs an Entra token).')
output appInsightsConnectionString string = appInsights.properties.ConnectionString
