using System.Text.RegularExpressions;

namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// Semantic Versioning 2.0.0 precedence (§11): major, minor, patch numerically; a pre-release is older than
/// its release; pre-release identifiers compare numerically when numeric, numeric before alphanumeric, and a
/// shorter list is older; build metadata is ignored. Used for npm, crates.io and the OSV <c>SEMVER</c> range type.
/// </summary>
internal sealed partial class SemVerComparer : VersionComparer<SemVerComparer.SemVer>
{
    public static readonly SemVerComparer Instance = new(lenient: false);

    /// <summary>Accepts a leading <c>v</c> and missing minor/patch (<c>1.2</c>), as OSV's SEMVER ranges sometimes state.</summary>
    public static readonly SemVerComparer Lenient = new(lenient: true);

    private readonly bool lenient;

    private SemVerComparer(bool lenient) => this.lenient = lenient;

    protected override string Kind => "semantic";

    internal override int CompareParsed(SemVer x, SemVer y) => ComparePrecedence(x, y);

    internal static int ComparePrecedence(SemVer x, SemVer y)
    {
        var c = CompareNumeric(x.Major, y.Major);
        c = c != 0 ? c : CompareNumeric(x.Minor, y.Minor);
        c = c != 0 ? c : CompareNumeric(x.Patch, y.Patch);
        if (c != 0)
        {
            return c;
        }

        if (x.Pre.Length == 0 || y.Pre.Length == 0)
        {
            // A version without pre-release is newer than one with.
            return x.Pre.Length == y.Pre.Length ? 0 : x.Pre.Length == 0 ? 1 : -1;
        }

        for (var i = 0; i < Math.Min(x.Pre.Length, y.Pre.Length); i++)
        {
            c = CompareIdentifier(x.Pre[i], y.Pre[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Pre.Length.CompareTo(y.Pre.Length);
    }

    internal override SemVer? Parse(string text)
    {
        var m = (lenient ? LenientPattern() : StrictPattern()).Match(text.Trim());
        if (!m.Success)
        {
            return null;
        }

        var pre = m.Groups["pre"].Success ? m.Groups["pre"].Value.Split('.') : [];
        return new SemVer(
            m.Groups["major"].Value,
            m.Groups["minor"].Success ? m.Groups["minor"].Value : "0",
            m.Groups["patch"].Success ? m.Groups["patch"].Value : "0",
            pre);
    }

    /// <summary>Compares digit strings of any length without overflow.</summary>
    internal static int CompareNumeric(string a, string b)
    {
        var x = a.AsSpan().TrimStart('0');
        var y = b.AsSpan().TrimStart('0');
        return x.Length != y.Length ? x.Length.CompareTo(y.Length) : Math.Sign(x.SequenceCompareTo(y));
    }

    private static int CompareIdentifier(string a, string b)
    {
        var an = a.All(char.IsAsciiDigit);
        var bn = b.All(char.IsAsciiDigit);
        return (an, bn) switch
        {
            (true, true) => CompareNumeric(a, b),
            (true, false) => -1,
            (false, true) => 1,
            _ => Math.Sign(string.CompareOrdinal(a, b)),
        };
    }

    [GeneratedRegex(@"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(?<patch>0|[1-9]\d*)(?:-(?<pre>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+(?<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex StrictPattern();

    [GeneratedRegex(@"^[vV=]?(?<major>\d+)(?:\.(?<minor>\d+)(?:\.(?<patch>\d+))?)?(?:-?(?<pre>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?(?:\+(?<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex LenientPattern();

    internal sealed record SemVer(string Major, string Minor, string Patch, string[] Pre);
}

/// <summary>
/// Go module versions: semantic versions with a <c>v</c> prefix. <c>+incompatible</c> is build metadata and
/// ignored; pseudo-versions (<c>v0.0.0-20191109021931-daa7c04131f5</c>) are pre-releases and so already order
/// by their timestamp before the next release, as the go command does.
/// </summary>
internal sealed class GoVersionComparer : VersionComparer<SemVerComparer.SemVer>
{
    public static readonly GoVersionComparer Instance = new();

    protected override string Kind => "Go module";

    internal override SemVerComparer.SemVer? Parse(string version) => SemVerComparer.Instance.Parse(Strip(version));

    internal override int CompareParsed(SemVerComparer.SemVer x, SemVerComparer.SemVer y) => SemVerComparer.ComparePrecedence(x, y);

    private static string Strip(string v)
    {
        v = v.Trim();
        return v.StartsWith('v') ? v[1..] : v;
    }
}
