namespace Pipeline.Policy;

/// <summary>What an ignore entry applies to.</summary>
public enum FindingKind
{
    /// <summary>Any kind: the line formats (<c>.trivyignore</c>) do not say.</summary>
    Any,
    Vulnerability,
    Secret,
    Misconfiguration,
}

/// <summary>
/// One suppression: an id (advisory id or alias, secret rule, misconfiguration rule), optionally limited to
/// paths (globs; <c>*</c> within a segment, <c>**</c> across) and package URLs, with an optional expiry
/// (the entry stops suppressing after that day) and a reason kept with the suppressed finding.
/// </summary>
public sealed record IgnoreEntry
{
    public required string Id { get; init; }

    public FindingKind Kind { get; init; } = FindingKind.Any;

    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Purls { get; init; } = [];

    /// <summary>The last day the entry suppresses (Trivy's <c>exp:</c> / <c>expired_at</c>); null for no expiry.</summary>
    public DateOnly? Expires { get; init; }

    public string? Reason { get; init; }

    /// <summary>Where the entry came from (a file name, or <c>policy</c>), for the audit trail.</summary>
    public string Source { get; init; } = "policy";

    /// <summary>True when the entry still suppresses on <paramref name="today"/> (the expiry day itself included).</summary>
    public bool IsActive(DateOnly today) => Expires is not { } e || today <= e;

    /// <summary>The text stored in <c>SuppressedBy</c>.</summary>
    public string Describe() => $"ignored by {Source}" + (string.IsNullOrWhiteSpace(Reason) ? string.Empty : ": " + Reason.Trim());
}
