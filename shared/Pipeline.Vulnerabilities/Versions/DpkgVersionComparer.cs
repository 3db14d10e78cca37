namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// Debian's ordering (dpkg <c>lib/dpkg/version.c</c>, Debian Policy 5.6.12): epoch numerically, then upstream
/// and revision with <c>verrevcmp</c>, where <c>~</c> sorts before anything (even the end of the string),
/// letters before other characters, and digit runs compare numerically.
/// </summary>
internal sealed class DpkgVersionComparer : VersionComparer<DpkgVersionComparer.Version>
{
    public static readonly DpkgVersionComparer Instance = new();

    protected override string Kind => "dpkg";

    internal override int CompareParsed(Version x, Version y)
    {
        var c = x.Epoch.CompareTo(y.Epoch);
        if (c != 0)
        {
            return c;
        }

        c = VerRevCmp(x.Upstream, y.Upstream);
        return c != 0 ? c : VerRevCmp(x.Revision, y.Revision);
    }

    internal override Version? Parse(string version)
    {
        // dpkg requires the upstream part to start with a digit but only warns; mirror its leniency, and
        // reject what it refuses outright: spaces and an empty upstream.
        if (version.Trim().Contains(' ', StringComparison.Ordinal) || EpochVersion.Split(version) is not { } parts || parts.Version.Length == 0)
        {
            return null;
        }

        return new Version(parts.Epoch, parts.Version, parts.Release ?? string.Empty);
    }

    internal sealed record Version(long Epoch, string Upstream, string Revision);

    private static int Order(string s, int i)
    {
        if (i >= s.Length)
        {
            return 0;
        }

        var c = s[i];
        return char.IsAsciiDigit(c) ? 0 : char.IsAsciiLetter(c) ? c : c == '~' ? -1 : c + 256;
    }

    private static int VerRevCmp(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var firstDiff = 0;
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = Order(a, i);
                var bc = Order(b, j);
                if (ac != bc)
                {
                    return ac - bc;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            while (i < a.Length && j < b.Length && char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0)
                {
                    firstDiff = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDiff != 0)
            {
                return firstDiff;
            }
        }

        return 0;
    }
}
