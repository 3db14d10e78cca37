using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Policy;

/// <summary>
/// Reads ignore files. The line format (<c>.pipelineignore</c>, and <c>.trivyignore</c> as Trivy writes it):
/// one id per line, <c>#</c> comments, an optional <c>exp:YYYY-MM-DD</c> after the id, and a reason after
/// an inline <c>#</c> or in the comment lines just above the entry. The YAML format (<c>.trivyignore.yaml</c>):
/// <c>vulnerabilities</c>, <c>secrets</c>, <c>misconfigurations</c> lists of <c>{id, paths, purls, expired_at, statement}</c>.
/// </summary>
public static partial class IgnoreFile
{
    /// <summary>Ignore files larger than this are refused: a real one is a few kilobytes.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/>, choosing the format by extension (<c>.yaml</c>/<c>.yml</c> or lines).</summary>
    /// <exception cref="FormatException">The file is malformed; the message names the file and the line.</exception>
    public static IReadOnlyList<IgnoreEntry> Load(string path)
    {
        var text = BoundedFile.ReadAllText(path, MaxBytes, "Ignore file");
        var name = Path.GetFileName(path);
        return path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            ? ParseYaml(text, name)
            : ParseLines(text, name);
    }

    /// <summary>Parses the line format.</summary>
    public static IReadOnlyList<IgnoreEntry> ParseLines(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<IgnoreEntry>();
        var comment = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                comment.Clear();
                continue;
            }

            if (line.StartsWith('#'))
            {
                comment.Add(line.TrimStart('#').Trim());
                continue;
            }

            string? reason = null;
            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            if (hash >= 0)
            {
                reason = line[(hash + 2)..].Trim();
                line = line[..hash].Trim();
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            DateOnly? expires = null;
            foreach (var field in fields.Skip(1))
            {
                if (field.StartsWith("exp:", StringComparison.Ordinal))
                {
                    expires = ParseDate(field[4..], source, lineNumber);
                }
            }

            entries.Add(new IgnoreEntry
            {
                Id = fields[0],
                Expires = expires,
                Reason = reason ?? (comment.Count > 0 ? string.Join(' ', comment) : null),
                Source = source,
            });
            comment.Clear();
        }

        return entries;
    }

    /// <summary>Parses the YAML format of <c>.trivyignore.yaml</c>.</summary>
    public static IReadOnlyList<IgnoreEntry> ParseYaml(string text, string source)
    {
        var root = PolicyYaml.LoadRoot(text, source);
        if (root is null)
        {
            return [];
        }

        var entries = new List<IgnoreEntry>();
        foreach (var (key, node) in root.Children)
        {
            var kind = PolicyYaml.Scalar(key) switch
            {
                "vulnerabilities" => FindingKind.Vulnerability,
                "secrets" => FindingKind.Secret,
                "misconfigurations" => FindingKind.Misconfiguration,
                "licenses" => FindingKind.Any, // Trivy's license ignores: accepted, nothing here to suppress
                var other => throw new FormatException($"{source} line {key.Start.Line}: unknown section '{other}'."),
            };
            if (PolicyYaml.Scalar(key) == "licenses")
            {
                continue;
            }

            entries.AddRange(PolicyYaml.Entries(node, kind, source, reasonKey: "statement", expiresKey: "expired_at"));
        }

        return entries;
    }

    internal static DateOnly ParseDate(string text, string source, long line) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt)
                ? DateOnly.FromDateTime(dt.UtcDateTime)
                : throw new FormatException($"{source} line {line}: '{text}' is not a date (expected YYYY-MM-DD).");

    /// <summary>Matches a path against a glob: <c>**</c> spans directories, <c>*</c> and <c>?</c> stay within one.</summary>
    internal static bool GlobMatch(string glob, string path)
    {
        var g = glob.TrimStart('/');
        var p = path.TrimStart('/');
        if (!g.Contains('*', StringComparison.Ordinal) && !g.Contains('?', StringComparison.Ordinal))
        {
            // A plain directory name covers everything under it, as Trivy's path ignores do.
            return string.Equals(g, p, StringComparison.Ordinal) || p.StartsWith(g.TrimEnd('/') + "/", StringComparison.Ordinal);
        }

        var pattern = "^" + Regex.Escape(g).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(p, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}

/// <summary>Small helpers over YamlDotNet's representation model, shared by the ignore and policy readers.</summary>
internal static class PolicyYaml
{
    public static YamlMappingNode? LoadRoot(string text, string source)
    {
        if (text.Length > IgnoreFile.MaxBytes)
        {
            throw new FormatException($"{source} is over the {IgnoreFile.MaxBytes}-byte limit.");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source} line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new FormatException($"{source}: the document must be a mapping.");
    }

    public static string? Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value : null;

    public static IReadOnlyList<string> Strings(YamlNode? node, string source) => node switch
    {
        null => [],
        YamlSequenceNode seq => seq.Children.Select(c => Scalar(c) ?? throw new FormatException($"{source} line {c.Start.Line}: expected a string.")).ToList(),
        YamlScalarNode s when !string.IsNullOrEmpty(s.Value) => [s.Value],
        _ => throw new FormatException($"{source} line {node.Start.Line}: expected a list of strings."),
    };

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public static IEnumerable<IgnoreEntry> Entries(YamlNode node, FindingKind kind, string source, string reasonKey, string expiresKey)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            yield break;
        }

        if (node is not YamlSequenceNode seq)
        {
            throw new FormatException($"{source} line {node.Start.Line}: expected a list of entries.");
        }

        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } bare })
            {
                yield return new IgnoreEntry { Id = bare, Kind = kind, Source = source };
                continue;
            }

            if (item is not YamlMappingNode map || Get(map, "id") is not YamlScalarNode { Value: { Length: > 0 } id })
            {
                throw new FormatException($"{source} line {item.Start.Line}: each entry needs an 'id'.");
            }

            var expires = Get(map, expiresKey) is YamlScalarNode { Value: { Length: > 0 } e } ? IgnoreFile.ParseDate(e, source, item.Start.Line) : (DateOnly?)null;
            var entryKind = kind;
            if (Get(map, "kind") is YamlScalarNode { Value: { Length: > 0 } k })
            {
                entryKind = Enum.TryParse<FindingKind>(k, ignoreCase: true, out var parsed)
                    ? parsed
                    : throw new FormatException($"{source} line {item.Start.Line}: kind '{k}' is not vulnerability, secret or misconfiguration.");
            }

            yield return new IgnoreEntry
            {
                Id = id,
                Kind = entryKind,
                Paths = Strings(Get(map, "paths"), source),
                Purls = Strings(Get(map, "purls"), source),
                Expires = expires,
                Reason = Get(map, reasonKey) is YamlScalarNode { Value: { Length: > 0 } r } ? r : null,
                Source = source,
            };
        }
    }
}
