using System.Text.Json.Serialization;
using Pipeline.Core.Model;

namespace Pipeline.Core.Findings;

/// <summary>An insecure setting in an image config or an infrastructure-as-code file.</summary>
public sealed record Misconfiguration
{
    public required string RuleId { get; init; }

    public required string Title { get; init; }

    public Severity Severity { get; init; }

    /// <summary><c>aws</c>, <c>azure</c>, <c>gcp</c>, <c>kubernetes</c>, <c>dockerfile</c>, <c>image</c>.</summary>
    public required string Provider { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Service { get; init; }

    /// <summary>The resource address (<c>aws_s3_bucket.logs</c>, <c>Microsoft.Storage/storageAccounts/st</c>) or image field.</summary>
    public string Resource { get; init; } = string.Empty;

    /// <summary>The file, relative to the scanned path; <c>config</c> or <c>history[N]</c> for images.</summary>
    public string File { get; init; } = string.Empty;

    public int StartLine { get; init; }

    public int EndLine { get; init; }

    /// <summary>True when the insecure value is the provider's default because the setting was left out.</summary>
    public bool Defaulted { get; init; }

    public required string Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Remediation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? References { get; init; }

    /// <summary>Set when an inline comment or the policy suppressed the finding.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SuppressedBy { get; init; }
}
