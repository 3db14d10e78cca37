using System.Text.Json.Serialization;
using Pipeline.Core.Model;

namespace Pipeline.Core.Findings;

/// <summary>
/// A secret found in a file or in the image config. It never holds the secret itself: only a redacted
/// <see cref="Preview"/> and a salted <see cref="Fingerprint"/> for deduplication and suppression.
/// </summary>
public sealed record SecretFinding
{
    public required string RuleId { get; init; }

    public string Title { get; init; } = string.Empty;

    public Severity Severity { get; init; }

    /// <summary>The file, without a leading slash, or <c>config.Env</c>, <c>config.Labels</c>, <c>history[N]</c>.</summary>
    public required string Path { get; init; }

    public int Line { get; init; }

    /// <summary>Digest of the layer that added the file (set by the merge for files; null for the image config).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Layer { get; init; }

    /// <summary>Digest of a later layer that deleted or replaced the file: the secret is still in the image.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RemovedInLayer { get; init; }

    /// <summary>A few characters at each end with the middle masked; never the whole secret.</summary>
    public required string Preview { get; init; }

    /// <summary>Salted hash of the secret value, stable across scans of one installation.</summary>
    public required string Fingerprint { get; init; }
}
