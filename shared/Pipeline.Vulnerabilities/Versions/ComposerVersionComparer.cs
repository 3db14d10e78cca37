using System.Text.RegularExpressions;

namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// Packagist (Composer) ordering: Composer normalizes the numeric release to four parts (<c>v1.2</c> =
/// <c>1.2.0.0</c>) and then orders as PHP's <c>version_compare</c>: <c>dev</c> &lt; <c>alpha</c>/<c>a</c> &lt;
/// <c>beta</c>/<c>b</c> &lt; <c>RC</c> &lt; a number &lt; <c>pl</c>/<c>p</c>; unknown words sort before <c>dev</c>.
/// </summary>
internal sealed partial class ComposerVersionComparer : VersionComparer<List<string>>
{
    public static readonly ComposerVersionComparer Instance = new();

    protected override string Kind => "Composer";

    internal override int CompareParsed(List<string> x, List<string> y)
    {
        var i = 0;
        for (; i < Math.Min(x.Count, y.Count); i++)
        {
            var c = CompareToken(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        // PHP: a remaining number makes the longer version newer; a remaining word is compared with "#".
        if (i < x.Count)
        {
            return char.IsAsciiDigit(x[i][0]) ? 1 : CompareToken(x[i], "#");
        }

        if (i < y.Count)
        {
            return char.IsAsciiDigit(y[i][0]) ? -1 : -CompareToken(y[i], "#");
        }

        return 0;
    }

    /// <summary>The version's tokens, the numeric release padded to four parts.</summary>
    internal override List<string>? Parse(string version)
    {
        var v = version.Trim();
        if (!Pattern().IsMatch(v))
        {
            return null;
        }

        if (v[0] is 'v' or 'V')
        {
            v = v[1..];
        }

        var plus = v.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            v = v[..plus]; // build metadata is not part of the order
        }

        var tokens = TokenPattern().Matches(v).Select(m => m.Value.ToLowerInvariant()).ToList();
        var numeric = tokens.TakeWhile(t => char.IsAsciiDigit(t[0])).Count();
        for (var n = numeric; n < 4; n++)
        {
            tokens.Insert(n, "0");
        }

        return tokens;
    }

    private static int CompareToken(string a, string b)
    {
        var an = char.IsAsciiDigit(a[0]);
        var bn = char.IsAsciiDigit(b[0]);
        if (an && bn)
        {
            return SemVerComparer.CompareNumeric(a, b);
        }

        return Special(an ? "#" : a).CompareTo(Special(bn ? "#" : b));
    }

    private static int Special(string form) => form switch
    {
        "dev" => 0,
        "alpha" or "a" => 1,
        "beta" or "b" => 2,
        "rc" => 3,
        "#" => 4,
        "pl" or "p" or "patch" => 5,
        _ => -6,
    };

    [GeneratedRegex(@"^[vV]?[0-9][0-9A-Za-z.+_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex("[0-9]+|[a-zA-Z]+", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
