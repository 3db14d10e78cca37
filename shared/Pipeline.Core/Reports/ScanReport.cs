using System.Text.Json.Serialization;
using Pipeline.Core.Analysis;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;

namespace Pipeline.Core.Reports;

/// <summary>
/// The result of scanning one artifact (one platform of an image, a directory, an IaC tree). Its JSON form
/// (camelCase, <see cref="PipelineJson.Options"/>) is the contract other tools and tests rely on.
/// </summary>
public sealed class ScanReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public DateTimeOffset CreatedAt { get; set; }

    public ArtifactInfo Artifact { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OsInfo? Os { get; set; }

    public List<Package> Packages { get; set; } = [];

    public List<VulnerabilityFinding> Vulnerabilities { get; set; } = [];

    public List<SecretFinding> Secrets { get; set; } = [];

    public List<Misconfiguration> Misconfigurations { get; set; } = [];

    /// <summary>Per-layer outcome: analyzed, from cache, skipped (foreign) or failed.</summary>
    public List<LayerReport> Layers { get; set; } = [];

    /// <summary>What could not be analyzed; the rest of the report still stands.</summary>
    public List<AnalysisError> Errors { get; set; } = [];

    /// <summary>Findings that policy suppressed, kept for audit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SuppressedFindings? Suppressed { get; set; }

    /// <summary>Set by policy: whether the artifact passes the tenant's gate.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Verdict { get; set; }
}

public sealed class ArtifactInfo
{
    /// <summary><c>image</c>, <c>filesystem</c> or <c>iac</c>.</summary>
    public string Type { get; set; } = "image";

    public string Name { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Digest { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IndexDigest { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Platform { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Registry { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Repository { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tag { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConfigDigest { get; set; }
}

public sealed class LayerReport
{
    public string Digest { get; set; } = string.Empty;

    public string DiffId { get; set; } = string.Empty;

    public long Size { get; set; }

    /// <summary><c>analyzed</c>, <c>cached</c>, <c>skipped</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = "analyzed";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }
}

public sealed class SuppressedFindings
{
    public List<VulnerabilityFinding> Vulnerabilities { get; set; } = [];

    public List<SecretFinding> Secrets { get; set; } = [];

    public List<Misconfiguration> Misconfigurations { get; set; } = [];
}

/// <summary>Several platforms of one image: <c>results[]</c> of reports.</summary>
public sealed class MultiScanReport
{
    public int SchemaVersion { get; set; } = ScanReport.CurrentSchemaVersion;

    public string Name { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IndexDigest { get; set; }

    public List<ScanReport> Results { get; set; } = [];
}
