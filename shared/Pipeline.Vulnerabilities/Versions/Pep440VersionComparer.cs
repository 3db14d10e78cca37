using System.Numerics;
using System.Text.RegularExpressions;

namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// PEP 440 ordering, as the <c>packaging</c> library implements it: epoch, release (trailing zeros ignored),
/// pre-release (a &lt; b &lt; rc; <c>alpha</c>, <c>beta</c>, <c>c</c>, <c>pre</c>, <c>preview</c> normalized),
/// post-release (<c>.post1</c>, <c>-1</c>, <c>rev</c>, <c>r</c>), dev-release, and local version labels.
/// A bare dev release sorts before the pre-releases of the same release (1.0.dev0 &lt; 1.0a1).
/// </summary>
internal sealed partial class Pep440VersionComparer : VersionComparer<Pep440VersionComparer.Pep440Version>
{
    public static readonly Pep440VersionComparer Instance = new();

    protected override string Kind => "PEP 440";

    internal override int CompareParsed(Pep440Version x, Pep440Version y) => x.CompareTo(y);

    internal override Pep440Version? Parse(string text)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            return null;
        }

        var epoch = m.Groups["epoch"].Success ? BigInteger.Parse(m.Groups["epoch"].Value, System.Globalization.CultureInfo.InvariantCulture) : BigInteger.Zero;
        var release = m.Groups["release"].Value.Split('.').Select(s => BigInteger.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        while (release.Count > 1 && release[^1].IsZero)
        {
            release.RemoveAt(release.Count - 1);
        }

        int? preRank = null;
        var preNumber = BigInteger.Zero;
        if (m.Groups["pre_l"].Success)
        {
            preRank = m.Groups["pre_l"].Value.ToUpperInvariant() switch
            {
                "A" or "ALPHA" => 0,
                "B" or "BETA" => 1,
                _ => 2, // c, rc, pre, preview
            };
            preNumber = Number(m.Groups["pre_n"]);
        }

        BigInteger? post = m.Groups["post_n1"].Success ? Number(m.Groups["post_n1"])
            : m.Groups["post_l"].Success ? Number(m.Groups["post_n2"]) : null;
        BigInteger? dev = m.Groups["dev_l"].Success ? Number(m.Groups["dev_n"]) : null;
        var local = m.Groups["local"].Success
            ? m.Groups["local"].Value.ToUpperInvariant().Split('.', '-', '_')
            : null;
        return new Pep440Version(epoch, release, preRank, preNumber, post, dev, local);
    }

    private static BigInteger Number(Group g) =>
        g.Success ? BigInteger.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture) : BigInteger.Zero;

    // The VERSION_PATTERN of PEP 440 Appendix B / packaging.version, anchored.
    [GeneratedRegex(@"^v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)(?<pre>[-_\.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_\.]?(?<pre_n>[0-9]+)?)?(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_\.]?(?<post_l>post|rev|r)[-_\.]?(?<post_n2>[0-9]+)?))?(?<dev>[-_\.]?(?<dev_l>dev)[-_\.]?(?<dev_n>[0-9]+)?)?)(?:\+(?<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    internal sealed record Pep440Version(
        BigInteger Epoch,
        IReadOnlyList<BigInteger> Release,
        int? PreRank,
        BigInteger PreNumber,
        BigInteger? Post,
        BigInteger? Dev,
        string[]? Local) : IComparable<Pep440Version>
    {
        public int CompareTo(Pep440Version? other)
        {
            ArgumentNullException.ThrowIfNull(other);
            var c = Epoch.CompareTo(other.Epoch);
            if (c != 0)
            {
                return c;
            }

            for (var i = 0; i < Math.Max(Release.Count, other.Release.Count); i++)
            {
                c = (i < Release.Count ? Release[i] : BigInteger.Zero).CompareTo(i < other.Release.Count ? other.Release[i] : BigInteger.Zero);
                if (c != 0)
                {
                    return c;
                }
            }

            c = PreKey().CompareTo(other.PreKey());
            if (c != 0)
            {
                return c;
            }

            // No post-release sorts before any post-release; no dev-release sorts after any dev-release.
            c = (Post.HasValue, other.Post.HasValue) switch
            {
                (false, false) => 0,
                (false, true) => -1,
                (true, false) => 1,
                _ => Post!.Value.CompareTo(other.Post!.Value),
            };
            if (c != 0)
            {
                return c;
            }

            c = (Dev.HasValue, other.Dev.HasValue) switch
            {
                (false, false) => 0,
                (false, true) => 1,
                (true, false) => -1,
                _ => Dev!.Value.CompareTo(other.Dev!.Value),
            };
            return c != 0 ? c : CompareLocal(Local, other.Local);
        }

        /// <summary>packaging's _cmpkey: a dev-only release sorts before every pre-release, a final after them.</summary>
        private (int Rank, BigInteger Number) PreKey() =>
            PreRank is { } r ? (r, PreNumber)
            : Post is null && Dev is not null ? (int.MinValue, BigInteger.Zero)
            : (int.MaxValue, BigInteger.Zero);

        private static int CompareLocal(string[]? a, string[]? b)
        {
            if (a is null || b is null)
            {
                return (a is null ? 0 : 1) - (b is null ? 0 : 1);
            }

            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var an = a[i].All(char.IsAsciiDigit);
                var bn = b[i].All(char.IsAsciiDigit);
                var c = (an, bn) switch
                {
                    (true, true) => SemVerComparer.CompareNumeric(a[i], b[i]),
                    (true, false) => 1, // numeric segments sort after alphanumeric ones
                    (false, true) => -1,
                    _ => Math.Sign(string.CompareOrdinal(a[i], b[i])),
                };
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length.CompareTo(b.Length);
        }
    }
}
