using System.Text.Json.Nodes;
using Pipeline.Iac.Adapters;
using Pipeline.Iac.Model;
using Pipeline.Iac.Parsing.Arm;
using Pipeline.Iac.Parsing.Json;

namespace Pipeline.Infra.Tests.Arm;

/// <summary>
/// Lists what a compiled ARM template deploys for given parameter values, with Pipeline.Iac's ARM evaluator
/// (the one <c>pipeline scan iac</c> uses): resources whose condition holds, copy loops expanded, nested
/// deployments (Bicep modules) entered in their own scope, and VNet subnets declared inline reported as
/// the child resources they are. A name or condition that is not known before deployment is an error.
/// </summary>
internal static class ArmResources
{
    public static IReadOnlyList<(string Type, string Name)> List(JsonObject template, JsonObject parameterValues, string subscriptionId, string resourceGroup, string tenantId)
    {
        var values = parameterValues
            .Where(kv => kv.Value?["value"] is not null)
            .ToDictionary(kv => kv.Key, kv => JsonDocumentParser.Parse(kv.Value!["value"]!.ToJsonString(), MaxDepth), StringComparer.OrdinalIgnoreCase);
        var deployment = new ArmDeployment(subscriptionId, resourceGroup, tenantId);

        var result = new List<(string, string)>();
        foreach (var resource in ArmAdapter.Resources(JsonDocumentParser.Parse(template.ToJsonString(), MaxDepth), values, deployment))
        {
            if (resource.Body.GetIgnoreCase("condition") is { } condition && condition.TryBool() is null)
            {
                throw new InvalidOperationException($"{resource.Type} {resource.Name}: the condition is not known before deployment.");
            }

            // A nested deployment is a Bicep module: what it deploys is listed, not the deployment itself.
            if (resource.Type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            result.Add((resource.Type, KnownName(resource.Type, resource.Body, resource.LeafName)));
            if (resource.Type.Equals("Microsoft.Network/virtualNetworks", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var subnet in resource.Body.Path("properties.subnets", ignoreCase: true)?.Items ?? [])
                {
                    result.Add(("Microsoft.Network/virtualNetworks/subnets", KnownName("subnet", subnet, null)));
                }
            }
        }

        return result;
    }

    // Compiled templates nest a module's template inside its deployment resource, several levels deep.
    private const int MaxDepth = 256;

    /// <summary>The leaf name, which must have been computable before deployment.</summary>
    private static string KnownName(string type, DValue body, string? leafName) =>
        body.GetIgnoreCase("name") is { Kind: DKind.String } name
            ? leafName ?? name.AsString[(name.AsString.LastIndexOf('/') + 1)..]
            : throw new InvalidOperationException($"{type}: the name is not known before deployment.");
}
