using Pipeline.Core.Model;

namespace Pipeline.Iac.Rules;

/// <summary>The formats the IaC scanner reads.</summary>
public enum IacFormat
{
    Terraform,
    TerraformPlan,
    CloudFormation,
    Arm,
    Bicep,
    Kubernetes,
    Dockerfile,
}

/// <summary>One rule of the catalogue, as documentation and SARIF list it.</summary>
public sealed record IacRuleInfo
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public Severity Severity { get; init; }

    /// <summary><c>aws</c>, <c>azure</c>, <c>gcp</c>, <c>kubernetes</c> or <c>dockerfile</c>.</summary>
    public required string Provider { get; init; }

    public required string Service { get; init; }

    /// <summary>The native resource types the rule reads, per format (computed from the adapters' kind tables).</summary>
    public IReadOnlyDictionary<IacFormat, IReadOnlyList<string>> ResourceTypes { get; init; } =
        new Dictionary<IacFormat, IReadOnlyList<string>>();

    public required string Description { get; init; }

    public required string Remediation { get; init; }

    /// <summary>For rules that fire on left-out settings: the default they rest on.</summary>
    public string? DefaultNote { get; init; }

    /// <summary>Ids of the same check in other tools (Trivy AVD ids, Checkov CKV ids, tfsec ids), honoured by inline suppressions.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public IReadOnlyList<string> References { get; init; } = [];
}
