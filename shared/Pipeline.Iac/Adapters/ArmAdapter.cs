using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Arm;
using static Pipeline.Iac.Adapters.PropertyMap;

namespace Pipeline.Iac.Adapters;

/// <summary>
/// Adapts ARM templates (and Bicep, compiled to ARM). Defaults here are the resource provider's for the
/// API version the template asks for: they can differ between API versions of the same resource type.
/// </summary>
internal static class ArmAdapter
{
    private const int MaxCopies = 800; // ARM's own limit on a copy loop's count

    private static readonly Dictionary<string, KindMapping> Maps = new KindMapping[]
    {
        new("Microsoft.Storage/storageAccounts", Kinds.StorageAccount,
        [
            new Prop("minTls", "properties.minimumTlsVersion")
            {
                // Microsoft.Storage REST API: "The default interpretation is TLS 1.0 for this property."
                Default = (_, api) => new DefaultValue(DValue.Str("TLS1_0"), $"ARM Microsoft.Storage/storageAccounts@{api}: minimumTlsVersion's default interpretation is TLS 1.0"),
            },
            new Prop("allowBlobPublicAccess", "properties.allowBlobPublicAccess")
            {
                // Older API versions document "The default interpretation is true for this property"; newer ones document false.
                Default = (_, api) => ApiAtLeast(api, "2023-01-01")
                    ? new DefaultValue(DValue.False, $"ARM Microsoft.Storage/storageAccounts@{api}: allowBlobPublicAccess's default interpretation is false")
                    : new DefaultValue(DValue.True, $"ARM Microsoft.Storage/storageAccounts@{api}: allowBlobPublicAccess's default interpretation is true before API 2023-01-01"),
            },
            new Prop("httpsOnly", "properties.supportsHttpsTrafficOnly")
            {
                // Microsoft.Storage REST API: "The default value is true since API version 2019-04-01."
                Default = (_, api) => ApiAtLeast(api, "2019-04-01")
                    ? new DefaultValue(DValue.True, $"ARM Microsoft.Storage/storageAccounts@{api}: supportsHttpsTrafficOnly defaults to true since API 2019-04-01")
                    : new DefaultValue(DValue.False, $"ARM Microsoft.Storage/storageAccounts@{api}: supportsHttpsTrafficOnly defaults to false before API 2019-04-01"),
            },
            P("sharedKeyAccess", "properties.allowSharedKeyAccess", true, "ARM Microsoft.Storage/storageAccounts: a null allowSharedKeyAccess is equivalent to true"),
            P("networkDefaultAction", "properties.networkAcls.defaultAction", "Allow", "ARM Microsoft.Storage/storageAccounts: networkAcls.defaultAction defaults to Allow"),
        ]),
        new("Microsoft.KeyVault/vaults", Kinds.KeyVault,
        [
            P("purgeProtection", "properties.enablePurgeProtection", false, "ARM Microsoft.KeyVault/vaults: purge protection is off unless enablePurgeProtection is true"),
            P("softDelete", "properties.enableSoftDelete", true, "ARM Microsoft.KeyVault/vaults: enableSoftDelete defaults to true"),
            P("networkDefaultAction", "properties.networkAcls.defaultAction", "Allow", "ARM Microsoft.KeyVault/vaults: without networkAcls every network may reach the vault"),
        ]),
        new("Microsoft.Sql/servers", Kinds.SqlServer,
        [
            new Prop("publicNetworkAccess", "properties.publicNetworkAccess")
            {
                Transform = EnabledString,
                Default = (_, api) => new DefaultValue(DValue.True, $"ARM Microsoft.Sql/servers@{api}: public network access is enabled unless publicNetworkAccess is Disabled"),
            },
            P("minTls", "properties.minimalTlsVersion", "None", "ARM Microsoft.Sql/servers: without minimalTlsVersion every TLS version is accepted"),
        ]),
        new("Microsoft.ContainerService/managedClusters", Kinds.AksCluster,
        [
            P("privateCluster", "properties.apiServerAccessProfile.enablePrivateCluster", false, "ARM Microsoft.ContainerService/managedClusters: enablePrivateCluster defaults to false"),

            // The AKS API documents no default for enableRBAC, so a left-out value is not judged.
            P("rbac", "properties.enableRBAC"),
            P("networkPolicy", "properties.networkProfile.networkPolicy", string.Empty, "AKS: no network policy engine runs unless networkProfile.networkPolicy is set"),
            P("localAccountsDisabled", "properties.disableLocalAccounts", false, "ARM Microsoft.ContainerService/managedClusters: disableLocalAccounts defaults to false"),
        ]),
        new("Microsoft.ContainerRegistry/registries", Kinds.ContainerRegistry,
        [
            P("adminEnabled", "properties.adminUserEnabled", false, "ARM Microsoft.ContainerRegistry/registries: adminUserEnabled defaults to false"),
            new Prop("publicNetworkAccess", "properties.publicNetworkAccess")
            {
                Transform = EnabledString,
                Default = (_, api) => new DefaultValue(DValue.True, $"ARM Microsoft.ContainerRegistry/registries@{api}: publicNetworkAccess defaults to Enabled"),
            },
        ]),
        new("Microsoft.Web/sites", Kinds.AppService,
        [
            P("httpsOnly", "properties.httpsOnly", false, "ARM Microsoft.Web/sites: httpsOnly defaults to false"),
            P("minTls", "properties.siteConfig.minTlsVersion", "1.2", "ARM Microsoft.Web/sites: new apps default minTlsVersion to 1.2"),
            P("ftpsState", "properties.siteConfig.ftpsState", "AllAllowed", "ARM Microsoft.Web/sites: ftpsState defaults to AllAllowed"),
            P("remoteDebugging", "properties.siteConfig.remoteDebuggingEnabled", false, "ARM Microsoft.Web/sites: remoteDebuggingEnabled defaults to false"),
            Present("identity", "identity", "App Service: no managed identity unless identity is set"),
        ]),
    }.ToDictionary(m => m.NativeType, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<(string NativeType, string Kind)> Types =>
        Maps.Values.Select(m => (m.NativeType, m.Kind)).Concat(
        [
            ("Microsoft.Network/networkSecurityGroups", Kinds.NsgRule),
            ("Microsoft.Network/networkSecurityGroups/securityRules", Kinds.NsgRule),
            ("Microsoft.Sql/servers/auditingSettings", Kinds.SqlServer),
        ]);

    public static bool LooksLikeTemplate(DValue doc) =>
        doc.Get("$schema")?.TryString()?.Contains("deploymentTemplate", StringComparison.OrdinalIgnoreCase) == true && doc.Get("resources") is not null;

    /// <summary>
    /// The property that records which nested deployment a resource came from: the ordinals, at each level, of the
    /// <c>Microsoft.Resources/deployments</c> declarations that lead to it ("0/2"), absent for top-level resources.
    /// Bicep compiles each <c>module</c> to one such deployment, in declaration order, so this finds the module file.
    /// </summary>
    public const string ModuleProperty = "__module";

    /// <summary>One resource a template deploys: its full type, evaluated name (<c>st/default/layers</c> for a child) and body.</summary>
    internal sealed record ArmResource(string Type, string Name, string? ApiVersion, DValue Body, string? SymbolicName, string? Module)
    {
        /// <summary>The last segment of the name (<c>layers</c>).</summary>
        public string LeafName => Name[(Name.LastIndexOf('/') + 1)..];
    }

    public static List<ModelResource> Adapt(DValue template, string file)
    {
        var flat = Resources(template);
        var models = new List<ModelResource>();
        var byName = new Dictionary<string, ModelResource>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in flat)
        {
            var address = r.Type + "/" + r.Name;
            if (Maps.TryGetValue(r.Type, out var map))
            {
                var m = Build(map, address, file, r.Body.Line, r.Body.EndLine, r.Body, ignoreCase: true, r.ApiVersion);
                models.Add(m);
                byName[r.Type + "|" + r.Name] = m;
                if (r.SymbolicName is not null)
                {
                    m.Props["__symbol"] = new IacValue<DValue>(DValue.Str(r.SymbolicName), ValueOrigin.Explicit, null, null, 0, 0);
                }

                if (r.Module is not null)
                {
                    m.Props[ModuleProperty] = new IacValue<DValue>(DValue.Str(r.Module), ValueOrigin.Explicit, null, null, 0, 0);
                }
            }
        }

        foreach (var r in flat)
        {
            switch (r.Type.ToLowerInvariant())
            {
                case "microsoft.network/networksecuritygroups":
                    foreach (var rule in r.Body.Path("properties.securityRules", true)?.AsList() ?? [])
                    {
                        models.Add(NsgRule(r, rule.GetIgnoreCase("properties") ?? rule, file, rule));
                    }

                    break;
                case "microsoft.network/networksecuritygroups/securityrules":
                    models.Add(NsgRule(r, r.Body.GetIgnoreCase("properties") ?? DValue.Map([]), file, r.Body));
                    break;
                case "microsoft.sql/servers/auditingsettings":
                    {
                        var server = r.Name.Split('/')[0];
                        if (byName.TryGetValue("Microsoft.Sql/servers|" + server, out var m) && r.Body.Path("properties.state", true) is { } state)
                        {
                            m.Set("auditing", EnabledString(state).At(state.Line, state.EndLine), "auditingSettings.state");
                        }

                        break;
                    }
            }
        }

        foreach (var m in models.Where(m => m.Kind == Kinds.SqlServer && !m.Props.ContainsKey("auditing")))
        {
            m.Set("auditing", null, "auditingSettings", "Azure SQL: auditing is off until a Microsoft.Sql/servers/auditingSettings resource enables it", DValue.False);
        }

        return models;
    }

    private static ModelResource NsgRule(ArmResource r, DValue props, string file, DValue at)
    {
        var m = new ModelResource(Kinds.NsgRule, r.Type + "/" + r.Name + (at.GetIgnoreCase("name")?.TryString() is { } n && at != r.Body ? "/" + n : string.Empty),
            file, at.Line, at.EndLine) { NativeType = r.Type };
        m.Set("direction", props.GetIgnoreCase("direction"), "direction");
        m.Set("access", props.GetIgnoreCase("access"), "access");
        m.Set("protocol", props.GetIgnoreCase("protocol"), "protocol");
        m.Set("sources", Union(props, "sourceAddressPrefix", "sourceAddressPrefixes"), "sourceAddressPrefix");
        m.Set("ports", Union(props, "destinationPortRange", "destinationPortRanges"), "destinationPortRange");
        return m;
    }

    private static DValue? Union(DValue props, string single, string many)
    {
        var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
        if (props.GetIgnoreCase(single) is { } s)
        {
            map[single] = s;
        }

        if (props.GetIgnoreCase(many) is { } m)
        {
            map[many] = m;
        }

        return TerraformAdapter.Concat(DValue.Map(map), single, many);
    }

    /// <summary>
    /// What <paramref name="template"/> deploys with the given parameter values (defaults for the rest) into
    /// <paramref name="deployment"/>: resources whose condition holds, copy loops expanded, child resources and
    /// nested deployments (Bicep modules) flattened, <c>existing</c> references left out.
    /// </summary>
    internal static List<ArmResource> Resources(DValue template, IReadOnlyDictionary<string, DValue>? parameterValues = null, ArmDeployment? deployment = null)
    {
        var flat = new List<ArmResource>();
        Collect(template, new ArmExpressionEvaluator(template, parameterValues, deployment), null, null, flat, 0, null);
        return flat;
    }

    /// <summary>Evaluates and flattens resources: conditions, copy loops, child resources and inline nested deployments.</summary>
    private static void Collect(DValue template, ArmExpressionEvaluator eval, string? parentType, string? parentName, List<ArmResource> into, int depth, string? module)
    {
        if (depth > 16)
        {
            return;
        }

        var resources = template.Get("resources");
        IEnumerable<(string? Symbol, DValue Body)> items = resources?.Kind == DKind.Map
            ? resources.Fields.Select(kv => ((string?)kv.Key, kv.Value))
            : (resources?.AsList() ?? []).Select(v => ((string?)null, v));
        var deployments = 0;
        foreach (var (symbol, raw) in items)
        {
            // An existing resource (languageVersion 2.0) is only referred to: the template does not deploy it.
            if (raw.Kind != DKind.Map || raw.GetIgnoreCase("existing")?.TryBool() == true)
            {
                continue;
            }

            var isDeployment = string.Equals(raw.GetIgnoreCase("type")?.TryString(), "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase);
            var innerModule = isDeployment && parentType is null ? (module is null ? string.Empty : module + "/") + deployments++ : null;

            var copy = raw.GetIgnoreCase("copy");
            var count = 1;
            string? loop = null;
            if (copy is not null)
            {
                loop = copy.GetIgnoreCase("name")?.TryString();
                count = (int)(eval.Evaluate(copy.GetIgnoreCase("count") ?? DValue.Num(1)).TryNumber() ?? 1);
                count = Math.Clamp(count, 0, MaxCopies);
            }

            for (var i = 0; i < count; i++)
            {
                if (copy is not null)
                {
                    eval.CopyIndexes[string.Empty] = i;
                    if (loop is not null)
                    {
                        eval.CopyIndexes[loop] = i;
                    }
                }

                if (raw.GetIgnoreCase("condition") is { } cond && eval.Evaluate(cond).TryBool() == false)
                {
                    continue;
                }

                var nested = raw.GetIgnoreCase("resources");
                var inner = isDeployment ? raw.Path("properties.template", true) : null;
                var body = eval.Evaluate(Without(raw, nested is not null ? "resources" : null, inner is not null));
                var type = body.GetIgnoreCase("type")?.TryString() ?? string.Empty;
                var name = body.GetIgnoreCase("name")?.TryString() ?? "(unknown)";
                if (parentType is not null && !type.Contains('/', StringComparison.Ordinal))
                {
                    type = parentType + "/" + type;
                    name = parentName + "/" + name;
                }

                into.Add(new ArmResource(type, name, body.GetIgnoreCase("apiVersion")?.TryString(), body, symbol, module));
                if (nested is not null)
                {
                    Collect(DValue.Map(new() { ["resources"] = nested }), eval, type, name, into, depth + 1, module);
                }

                if (inner is not null)
                {
                    CollectNested(raw, inner, eval, into, depth, innerModule);
                }
            }

            eval.CopyIndexes.Clear();
        }
    }

    private static void CollectNested(DValue deployment, DValue inner, ArmExpressionEvaluator outer, List<ArmResource> into, int depth, string? module)
    {
        var scope = deployment.Path("properties.expressionEvaluationOptions.scope", true)?.TryString();
        if (string.Equals(scope, "inner", StringComparison.OrdinalIgnoreCase))
        {
            // Inner scope: the nested template sees only the parameter values the deployment passes it, each
            // { "value": ... } or an expression giving that object (Bicep's conditional module inputs).
            var values = new Dictionary<string, DValue>(StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in deployment.Path("properties.parameters", true)?.Fields ?? new Dictionary<string, DValue>())
            {
                var value = v.Kind == DKind.Map ? v.GetIgnoreCase("value") is { } given ? outer.Evaluate(given) : null
                    : outer.Evaluate(v) is { Kind: DKind.Map } wrapper ? wrapper.GetIgnoreCase("value")
                    : DValue.Unknown("parameter:" + k);
                if (value is not null)
                {
                    values[k] = value;
                }
            }

            // A module may deploy to another subscription or resource group; resourceId() and friends follow it.
            var target = outer.Deployment with
            {
                SubscriptionId = ScopeOf(deployment, "subscriptionId", outer) ?? outer.Deployment.SubscriptionId,
                ResourceGroup = ScopeOf(deployment, "resourceGroup", outer) ?? outer.Deployment.ResourceGroup,
            };
            Collect(inner, new ArmExpressionEvaluator(inner, values, target), null, null, into, depth + 1, module);
        }
        else
        {
            // Outer scope (the default): expressions in the nested template use the parent's parameters and variables.
            Collect(inner, outer, null, null, into, depth + 1, module);
        }
    }

    private static string? ScopeOf(DValue deployment, string property, ArmExpressionEvaluator outer) =>
        deployment.GetIgnoreCase(property) is { } v ? outer.Evaluate(v).TryString() : null;

    private static DValue Without(DValue raw, string? key, bool dropTemplate)
    {
        if (key is null && !dropTemplate)
        {
            return raw;
        }

        var map = raw.Fields.Where(kv => !string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase) && !string.Equals(kv.Key, "copy", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (dropTemplate && map.TryGetValue("properties", out var props))
        {
            map["properties"] = DValue.Map(props.Fields.Where(kv => kv.Key != "template").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), props.Line, props.EndLine);
        }

        return DValue.Map(map, raw.Line, raw.EndLine);
    }
}
