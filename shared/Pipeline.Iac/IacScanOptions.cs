namespace Pipeline.Iac;

/// <summary>Inputs and bounds for one IaC scan.</summary>
public sealed class IacScanOptions
{
    /// <summary>Terraform <c>-var-file</c> paths, applied in order after terraform.tfvars and *.auto.tfvars.</summary>
    public IReadOnlyList<string> VarFiles { get; init; } = [];

    /// <summary>Terraform <c>-var name=value</c> values; they win over every file.</summary>
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>Files larger than this are reported as errors and not parsed.</summary>
    /// <value>The default value is 5 MiB.</value>
    public long MaxFileBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>The deepest nesting any parser accepts (blocks, expressions, JSON and YAML collections).</summary>
    /// <value>The default value is 64.</value>
    public int MaxDepth { get; init; } = 64;

    /// <summary>How many alias expansions one YAML file may make (a "billion laughs" document exceeds it).</summary>
    /// <value>The default value is 10,000.</value>
    public int MaxYamlAliases { get; init; } = 10_000;

    /// <summary>Total bytes read out of a .zip; beyond it the scan stops reading entries and reports an error.</summary>
    /// <value>The default value is 256 MiB.</value>
    public long MaxZipBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How many files one scan reads at most.</summary>
    /// <value>The default value is 100,000.</value>
    public int MaxFiles { get; init; } = 100_000;

    /// <summary>The Bicep CLI; when null, <c>$PIPELINE_BICEP</c> and then the NuGet package cache are searched.</summary>
    public string? BicepPath { get; init; }

    /// <summary>Rule ids to skip (from the tenant's policy document); skipped findings go to <see cref="IacScanResult.Suppressed"/>.</summary>
    public IReadOnlySet<string> SkipRuleIds { get; init; } = new HashSet<string>();
}
