using Pipeline.Iac.Adapters;

namespace Pipeline.Iac.Rules;

/// <summary>The rule catalogue: every rule the IaC scanner runs, for documentation and SARIF.</summary>
public static class IacRules
{
    /// <summary>All rules, composed explicitly from the per-provider lists (no registration at start-up).</summary>
    internal static IReadOnlyList<Rule> Rules { get; } =
    [
        .. AwsRules.All(),
        .. AzureRules.All(),
        .. GcpRules.All(),
        .. KubernetesRules.All(),
        .. DockerfileRules.All(),
    ];

    private static readonly Lazy<IReadOnlyList<IacRuleInfo>> Catalogue = new(BuildCatalogue);

    /// <summary>The catalogue entries, with the native resource types each rule reads in each format.</summary>
    public static IReadOnlyList<IacRuleInfo> All => Catalogue.Value;

    private static List<IacRuleInfo> BuildCatalogue()
    {
        var typesByFormat = new (IacFormat Format, IEnumerable<(string NativeType, string Kind)> Types)[]
        {
            (IacFormat.Terraform, TerraformAdapter.Types),
            (IacFormat.TerraformPlan, TerraformAdapter.Types),
            (IacFormat.CloudFormation, CloudFormationAdapter.Types),
            (IacFormat.Arm, ArmAdapter.Types),
            (IacFormat.Bicep, ArmAdapter.Types),
            (IacFormat.Kubernetes, KubernetesAdapter.Types),
            (IacFormat.Dockerfile, [("Dockerfile", Model.Kinds.Dockerfile)]),
        };
        return Rules.Select(rule =>
        {
            var perFormat = new Dictionary<IacFormat, IReadOnlyList<string>>();
            foreach (var (format, types) in typesByFormat)
            {
                var native = types.Where(t => rule.Kinds.Contains(t.Kind)).Select(t => t.NativeType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (native.Count > 0)
                {
                    perFormat[format] = native;
                }
            }

            return new IacRuleInfo
            {
                Id = rule.Id,
                Title = rule.Title,
                Severity = rule.Severity,
                Provider = rule.Provider,
                Service = rule.Service,
                ResourceTypes = perFormat,
                Description = rule.Description,
                Remediation = rule.Remediation,
                DefaultNote = rule.DefaultNote,
                Aliases = rule.Aliases,
                References = rule.References,
            };
        }).ToList();
    }
}
