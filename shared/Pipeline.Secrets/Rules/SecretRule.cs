using System.Text.RegularExpressions;
using Pipeline.Core.Model;

namespace Pipeline.Secrets.Rules;

/// <summary>
/// One secret-detection rule, as data. The scanner runs <see cref="Pattern"/> only where one of the
/// <see cref="Keywords"/> occurs (case-insensitively), so every match must contain a keyword: that is what
/// makes a rule cheap on the many files that cannot hold its secret.
/// </summary>
public sealed record SecretRule
{
    /// <summary>Stable id used in reports and suppressions (<c>github-pat</c>).</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public Severity Severity { get; init; } = Severity.High;

    /// <summary>Lower-case strings of which at least one occurs in every match; the pre-filter looks for them.</summary>
    public required IReadOnlyList<string> Keywords { get; init; }

    /// <summary>Lower-case strings that must all occur somewhere in the file (e.g. <c>twilio</c> for a bare <c>SK…</c> key).</summary>
    public IReadOnlyList<string> RequiredKeywords { get; init; } = [];

    /// <summary>The pattern; its named group <c>secret</c> captures the value that is redacted and fingerprinted.</summary>
    public required Regex Pattern { get; init; }

    /// <summary>
    /// True when a match spans lines (PEM blocks, JSON key files): the pattern then runs over the whole file.
    /// Otherwise it runs only over the line around each keyword hit.
    /// </summary>
    public bool MultiLine { get; init; }

    /// <summary>Minimum Shannon entropy (bits per character) of the value; 0 disables the check.</summary>
    public double MinEntropy { get; init; }

    /// <summary>
    /// Generic rules (keyword plus assignment) give way to a specific rule that matched the same value, so a
    /// <c>token = "ghp_…"</c> line reports one GitHub token, not also a generic token.
    /// </summary>
    public bool Generic { get; init; }

    /// <summary>Values matching any of these are known examples or placeholders, not secrets.</summary>
    public IReadOnlyList<Regex> AllowValues { get; init; } = [];

    /// <summary>Path globs (<see cref="Scanning.PathGlob"/> syntax) where this rule does not apply.</summary>
    public IReadOnlyList<string> AllowPaths { get; init; } = [];

    /// <summary>Extra check on the value (a JWT header that decodes to JSON, a docker auth that decodes to user:password).</summary>
    public Func<string, bool>? Validate { get; init; }
}
