namespace Pipeline.Iac.Tests.Parsing.Arm;

public sealed class ArmTests
{
    private const string Template = """
        {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": {
            "prefix": { "type": "string", "defaultValue": "St" },
            "tls": { "type": "string", "defaultValue": "TLS1_1" },
            "count": { "type": "int", "defaultValue": 2 }
          },
          "variables": {
            "name": "[toLower(concat(parameters('prefix'), uniqueString(resourceGroup().id)))]",
            "secure": "[equals(parameters('tls'), 'TLS1_2')]"
          },
          "resources": [
            {
              "type": "Microsoft.Storage/storageAccounts",
              "apiVersion": "2023-01-01",
              "name": "[format('{0}{1}', variables('name'), copyIndex())]",
              "copy": { "name": "accounts", "count": "[parameters('count')]" },
              "location": "[resourceGroup().location]",
              "properties": {
                "minimumTlsVersion": "[if(variables('secure'), 'TLS1_2', parameters('tls'))]",
                "allowSharedKeyAccess": false,
                "networkAcls": { "defaultAction": "Deny" }
              }
            },
            {
              "type": "Microsoft.Sql/servers",
              "apiVersion": "2022-05-01-preview",
              "name": "sqlmain",
              "properties": { "publicNetworkAccess": "Disabled", "minimalTlsVersion": "1.2" },
              "resources": [
                {
                  "type": "auditingSettings",
                  "apiVersion": "2022-05-01-preview",
                  "name": "default",
                  "properties": { "state": "Disabled" }
                }
              ]
            },
            {
              "type": "Microsoft.Resources/deployments",
              "apiVersion": "2022-09-01",
              "name": "nested",
              "properties": {
                "mode": "Incremental",
                "expressionEvaluationOptions": { "scope": "inner" },
                "parameters": { "admin": { "value": "[not(empty(parameters('prefix')))]" } },
                "template": {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "contentVersion": "1.0.0.0",
                  "parameters": { "admin": { "type": "bool" } },
                  "resources": [
                    {
                      "type": "Microsoft.ContainerRegistry/registries",
                      "apiVersion": "2023-07-01",
                      "name": "acr",
                      "properties": { "adminUserEnabled": "[parameters('admin')]", "publicNetworkAccess": "Disabled" }
                    }
                  ]
                }
              }
            }
          ]
        }
        """;

    [Fact]
    public void Scan_ParametersVariablesFunctionsCopyChildAndNested_Resolve()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string> { ["azuredeploy.json"] = Template });
        Assert.Empty(result.Errors);
        var tls = result.Misconfigurations.Where(m => m.RuleId == "AZ-STORAGE-001").ToList();

        // The copy loop makes two accounts; if/equals/parameters resolve the TLS to TLS1_1 (explicit, line 21).
        Assert.Equal(2, tls.Count);
        Assert.All(tls, f => Assert.Equal(21, f.StartLine));
        Assert.All(tls, f => Assert.False(f.Defaulted));
        Assert.Equal(2, tls.Select(f => f.Resource).Distinct().Count());
        Assert.All(tls, f => Assert.Matches("^Microsoft.Storage/storageAccounts/st[a-z2-7]{13}[01]$", f.Resource));

        // The child auditingSettings resource links to its server.
        var audit = Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-SQL-003");
        Assert.Equal("Microsoft.Sql/servers/sqlmain", audit.Resource);

        // The inline nested template (inner scope) receives its parameter from the parent.
        Assert.Single(result.Misconfigurations, m => m.RuleId == "AZ-ACR-001" && m.Resource == "Microsoft.ContainerRegistry/registries/acr");
    }

    [Fact]
    public void Scan_SameSettingLeftOut_DefaultDependsOnApiVersion()
    {
        static string Account(string api) => $$"""
            {
              "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
              "resources": [
                { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "{{api}}", "name": "st", "properties": {} }
              ]
            }
            """;
        var old = IacTestData.ScanFiles(new Dictionary<string, string> { ["old.json"] = Account("2018-07-01") });
        var current = IacTestData.ScanFiles(new Dictionary<string, string> { ["new.json"] = Account("2023-01-01") });
        var http = Assert.Single(old.Misconfigurations, m => m.RuleId == "AZ-STORAGE-003");
        Assert.True(http.Defaulted);
        Assert.Contains("2018-07-01", http.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(current.Misconfigurations, m => m.RuleId == "AZ-STORAGE-003");
        Assert.Contains(old.Misconfigurations, m => m.RuleId == "AZ-STORAGE-002" && m.Defaulted);
        Assert.DoesNotContain(current.Misconfigurations, m => m.RuleId == "AZ-STORAGE-002");
    }

    [Fact]
    public void Scan_SameStorageAccountLeftOutInTerraform_UsesTheProviderDefaultInstead()
    {
        // The azurerm provider applies TLS1_2 when min_tls_version is left out; ARM's API interprets it as TLS 1.0.
        var tf = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["main.tf"] = "resource \"azurerm_storage_account\" \"st\" {\n  name = \"st\"\n}\n",
        });
        var arm = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["arm.json"] = """
                {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "resources": [ { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "properties": {} } ]
                }
                """,
        });
        Assert.DoesNotContain(tf.Misconfigurations, m => m.RuleId == "AZ-STORAGE-001");
        var f = Assert.Single(arm.Misconfigurations, m => m.RuleId == "AZ-STORAGE-001");
        Assert.True(f.Defaulted);
        Assert.Contains("(the default when properties.minimumTlsVersion is not set", f.Message, StringComparison.Ordinal);
    }
}

public sealed class ArmSymbolicTests
{
    [Fact]
    public void Scan_LanguageVersion2SymbolicResources_AreRead()
    {
        var result = IacTestData.ScanFiles(new Dictionary<string, string>
        {
            ["main.json"] = """
                {
                  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                  "languageVersion": "2.0",
                  "contentVersion": "1.0.0.0",
                  "resources": {
                    "registry": {
                      "type": "Microsoft.ContainerRegistry/registries",
                      "apiVersion": "2023-07-01",
                      "name": "acr",
                      "properties": { "adminUserEnabled": true, "publicNetworkAccess": "Disabled" }
                    }
                  }
                }
                """,
        });
        var f = Assert.Single(result.Misconfigurations);
        Assert.Equal(("AZ-ACR-001", 10), (f.RuleId, f.StartLine));
    }
}
