using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Secrets.Scanning;

/// <summary>
/// Path globs over normalized image paths (no leading slash): <c>*</c> and <c>?</c> stay inside one segment,
/// <c>**</c> spans segments, and <c>**/</c> may match nothing (<c>**/testdata/**</c> matches <c>testdata/a</c>).
/// A set of globs compiles to one regex so a path is tested once, not once per glob. The regex is built on the
/// first test: building a non-backtracking automaton costs milliseconds, and a scan whose layers all come from
/// the cache tests no path at all.
/// </summary>
public sealed class PathGlob
{
    private readonly Lazy<Regex>? _regex;

    /// <summary>Translates <paramref name="globs"/>; an empty set matches nothing.</summary>
    public PathGlob(IEnumerable<string> globs)
    {
        var parts = globs.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => ToRegex(Normalize(g))).ToList();
        _regex = parts.Count == 0
            ? null
            : new Lazy<Regex>(() => new Regex("^(?:" + string.Join('|', parts) + ")$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
    }

    /// <summary>Whether any glob matches <paramref name="path"/> (a leading <c>/</c> or <c>./</c> is ignored).</summary>
    public bool IsMatch(string path) => _regex is not null && _regex.Value.IsMatch(Normalize(path));

    /// <summary>Strips a leading <c>./</c> or <c>/</c> so host paths and image paths compare alike.</summary>
    public static string Normalize(string path)
    {
        var p = path.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p.TrimStart('/');
    }

    private static string ToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        return sb.ToString();
    }
}
