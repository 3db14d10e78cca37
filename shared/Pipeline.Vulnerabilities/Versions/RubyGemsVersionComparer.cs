using System.Text.RegularExpressions;

namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// RubyGems' <c>Gem::Version#&lt;=&gt;</c>: <c>-</c> reads as <c>.pre.</c>, segments are digit runs (numbers) or
/// letter runs (pre-release strings, older than any number), trailing zeros of the release and of the
/// pre-release part are dropped (<c>canonical_segments</c>), missing segments count as 0.
/// </summary>
internal sealed partial class RubyGemsVersionComparer : VersionComparer<List<string>>
{
    public static readonly RubyGemsVersionComparer Instance = new();

    protected override string Kind => "gem";

    internal override int CompareParsed(List<string> x, List<string> y)
    {
        for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
        {
            var l = i < x.Count ? x[i] : "0";
            var r = i < y.Count ? y[i] : "0";
            var ln = char.IsAsciiDigit(l[0]);
            var rn = char.IsAsciiDigit(r[0]);
            var c = (ln, rn) switch
            {
                (true, true) => SemVerComparer.CompareNumeric(l, r),
                (false, true) => -1,
                (true, false) => 1,
                _ => Math.Sign(string.CompareOrdinal(l, r)),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>The canonical segments (<c>canonical_segments</c>), or null when RubyGems refuses the version.</summary>
    internal override List<string>? Parse(string version)
    {
        if (!Pattern().IsMatch(version))
        {
            return null;
        }

        var text = version.Trim().Replace("-", ".pre.", StringComparison.Ordinal);
        var all = SegmentPattern().Matches(text).Select(m => m.Value).ToList();
        var firstString = all.FindIndex(s => !char.IsAsciiDigit(s[0]));
        var numeric = firstString < 0 ? all : all[..firstString];
        var strings = firstString < 0 ? [] : all[firstString..];
        return [.. DropTrailingZeros(numeric), .. DropTrailingZeros(strings)];
    }

    private static List<string> DropTrailingZeros(List<string> segments)
    {
        var n = segments.Count;
        while (n > 0 && segments[n - 1].All(c => c == '0'))
        {
            n--;
        }

        return segments[..n];
    }

    // Gem::Version::ANCHORED_VERSION_PATTERN (an empty string is version "0" in RubyGems, refused here).
    [GeneratedRegex(@"^\s*[0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex("[0-9]+|[a-z]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SegmentPattern();
}
