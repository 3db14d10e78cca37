using System.Text.RegularExpressions;

namespace Pipeline.Iac.Suppression;

/// <summary>
/// The inline suppressions of one file: <c># pipeline:ignore:RULE reason</c> (or <c>//</c>), and the
/// foreign forms <c>#checkov:skip=ID:reason</c>, <c>#tfsec:ignore:ID</c>, <c>#trivy:ignore:ID</c>.
/// A suppression applies to a finding when it sits on the finding's line or the line above it, or on the
/// resource's first line or the line above it; checkov's form applies anywhere inside the resource, as in Checkov.
/// </summary>
internal sealed partial class SuppressionIndex
{
    private readonly Dictionary<int, List<Entry>> _byLine = [];

    private sealed record Entry(string Tool, string Id, string Reason);

    [GeneratedRegex(@"(?:#|//)\s*(pipeline:ignore:|tfsec:ignore:|trivy:ignore:|checkov:skip=)([A-Za-z0-9_\-\.]+)[:\s]*(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static SuppressionIndex Parse(string text)
    {
        var index = new SuppressionIndex();
        if (!text.Contains("ignore:", StringComparison.Ordinal) && !text.Contains("skip=", StringComparison.Ordinal))
        {
            return index;
        }

        var line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            foreach (Match m in Pattern().Matches(raw))
            {
                var tool = m.Groups[1].Value.Split(':', '=')[0];
                if (!index._byLine.TryGetValue(line, out var list))
                {
                    index._byLine[line] = list = [];
                }

                list.Add(new Entry(tool, m.Groups[2].Value, m.Groups[3].Value.Trim()));
            }
        }

        return index;
    }

    public bool IsEmpty => _byLine.Count == 0;

    /// <summary>The suppression that silences this finding, described for <c>SuppressedBy</c>, or null.</summary>
    public string? Match(string ruleId, IReadOnlyList<string> aliases, int findingLine, int resourceStart, int resourceEnd)
    {
        if (_byLine.Count == 0)
        {
            return null;
        }

        foreach (var line in new[] { findingLine, findingLine - 1, resourceStart, resourceStart - 1 })
        {
            if (Find(line, ruleId, aliases, checkovOnly: false) is { } hit)
            {
                return hit;
            }
        }

        for (var line = resourceStart; line <= resourceEnd; line++)
        {
            if (Find(line, ruleId, aliases, checkovOnly: true) is { } hit)
            {
                return hit;
            }
        }

        return null;
    }

    private string? Find(int line, string ruleId, IReadOnlyList<string> aliases, bool checkovOnly)
    {
        if (!_byLine.TryGetValue(line, out var entries))
        {
            return null;
        }

        foreach (var e in entries)
        {
            if (checkovOnly && e.Tool != "checkov")
            {
                continue;
            }

            var matches = e.Id.Equals(ruleId, StringComparison.OrdinalIgnoreCase) || aliases.Any(a => a.Equals(e.Id, StringComparison.OrdinalIgnoreCase));
            if (matches)
            {
                var what = e.Tool == "checkov" ? $"checkov:skip={e.Id}" : $"{e.Tool}:ignore:{e.Id}";
                return $"inline {what} (line {line})" + (e.Reason.Length > 0 ? $": {e.Reason}" : string.Empty);
            }
        }

        return null;
    }
}
