using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Arm;

/// <summary>One resource a compiled template deploys: its ARM type and evaluated name.</summary>
internal sealed record ArmResource(string Type, string Name)
{
    /// <summary>The last segment of a child name (<c>st/default/layers</c> → <c>layers</c>).</summary>
    public string LeafName => Name[(Name.LastIndexOf('/') + 1)..];
}

/// <summary>
/// Lists what a compiled ARM template deploys for given parameter values: resources whose condition holds,
/// copy loops expanded, nested deployments (Bicep modules) entered in their own scope, and VNet subnets
/// declared inline reported as the child resources they are.
/// </summary>
internal static class ArmResources
{
    private const string Deployments = "Microsoft.Resources/deployments";

    public static IReadOnlyList<ArmResource> List(JsonObject template, JsonObject parameterValues, string subscriptionId, string resourceGroup, string tenantId)
    {
        var supplied = parameterValues.ToDictionary(kv => kv.Key, kv => (Func<JsonNode?>)(() => kv.Value?["value"]?.DeepClone()));
        var result = new List<ArmResource>();
        Walk(template, supplied, subscriptionId, resourceGroup, tenantId, result, depth: 0);
        return result;
    }

    private static void Walk(JsonObject template, Dictionary<string, Func<JsonNode?>> supplied, string sub, string rg, string tenantId, List<ArmResource> result, int depth)
    {
        if (depth > 20)
        {
            throw new InvalidOperationException("Nested deployments too deep.");
        }

        ArmScope? scope = null;
        var parameters = new Dictionary<string, Func<JsonNode?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, definition) in template["parameters"]?.AsObject() ?? [])
        {
            if (supplied.TryGetValue(name, out var value))
            {
                parameters[name] = value;
            }
            else if (definition?["defaultValue"] is { } defaultValue)
            {
                parameters[name] = () => ArmEvaluator.EvaluateJson(defaultValue, scope!);
            }
            else
            {
                parameters[name] = () => throw new KeyNotFoundException($"Parameter '{name}' has no value.");
            }
        }

        scope = new ArmScope(sub, rg, tenantId, parameters, template["variables"]?.AsObject());

        foreach (var resource in Resources(template))
        {
            var copy = resource["copy"];
            var count = copy is null ? 1 : (int)ArmEvaluator.AsLong(ArmEvaluator.EvaluateJson(copy["count"], scope));
            for (var i = 0; i < count; i++)
            {
                scope.CopyIndex = copy is null ? null : i;
                if (resource["condition"] is { } condition && !ArmEvaluator.EvaluateJson(condition, scope)!.GetValue<bool>())
                {
                    continue;
                }

                var type = resource["type"]!.GetValue<string>();
                var name = ArmEvaluator.EvaluateString(resource["name"]!.GetValue<string>(), scope);
                if (type.Equals(Deployments, StringComparison.OrdinalIgnoreCase))
                {
                    EnterModule(resource, scope, sub, rg, tenantId, result, depth);
                    continue;
                }

                result.Add(new ArmResource(type, name));
                if (type.Equals("Microsoft.Network/virtualNetworks", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var subnet in resource["properties"]?["subnets"]?.AsArray() ?? [])
                    {
                        var subnetName = ArmEvaluator.EvaluateString(subnet!["name"]!.GetValue<string>(), scope);
                        result.Add(new ArmResource("Microsoft.Network/virtualNetworks/subnets", $"{name}/{subnetName}"));
                    }
                }
            }

            scope.CopyIndex = null;
        }
    }

    private static void EnterModule(JsonObject resource, ArmScope scope, string sub, string rg, string tenantId, List<ArmResource> result, int depth)
    {
        var properties = resource["properties"]!.AsObject();
        var innerScope = properties["expressionEvaluationOptions"]?["scope"]?.GetValue<string>() == "inner";
        if (!innerScope)
        {
            throw new NotSupportedException("Only inner-scoped nested deployments (what Bicep modules compile to) are supported.");
        }

        // Module parameters are expressions of the calling template, evaluated lazily so that values only
        // known after deployment (principal IDs, endpoints) never need resolving unless a name uses them.
        var supplied = new Dictionary<string, Func<JsonNode?>>(StringComparer.OrdinalIgnoreCase);
        var copyIndex = scope.CopyIndex;
        foreach (var (name, value) in properties["parameters"]?.AsObject() ?? [])
        {
            supplied[name] = () =>
            {
                var saved = scope.CopyIndex;
                scope.CopyIndex = copyIndex;
                try
                {
                    // Either { "value": ... } or, for conditional module inputs, an expression giving that object.
                    return value is JsonObject wrapper
                        ? ArmEvaluator.EvaluateJson(wrapper["value"], scope)
                        : ArmEvaluator.EvaluateJson(value, scope)?["value"]?.DeepClone();
                }
                finally
                {
                    scope.CopyIndex = saved;
                }
            };
        }

        var innerSub = resource["subscriptionId"] is { } s ? ArmEvaluator.EvaluateString(s.GetValue<string>(), scope) : sub;
        var innerRg = resource["resourceGroup"] is { } g ? ArmEvaluator.EvaluateString(g.GetValue<string>(), scope) : rg;
        Walk(properties["template"]!.AsObject(), supplied, innerSub, innerRg, tenantId, result, depth + 1);
    }

    private static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray a => a.Select(r => r!.AsObject()),

        // languageVersion 2.0 templates key resources by symbolic name and list existing ones too.
        JsonObject o => o.Select(kv => kv.Value!.AsObject()).Where(r => r["existing"]?.GetValue<bool>() != true),
        _ => [],
    };
}
