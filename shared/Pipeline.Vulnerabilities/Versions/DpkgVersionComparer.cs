namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// Debian's ordering (dpkg <c>lib/dpkg/version.c</c>, Debian Policy 5.6.12): epoch numerically, then upstream
/// and revision with <c>verrevcmp</c>, where <c>~</c> sorts before anything (even the end of the string),
/// letters before other characters, and digit runs compare numerically.
/// </summary>
internal sealed class DpkgVersionComparer : IVersionComparer
{
    public static readonly DpkgVersionComparer Instance = new();

    public int Compare(string a, string b)
    {
        var x = Parse(a) ?? throw new FormatException($"Invalid dpkg version '{a}'.");
        var y = Parse(b) ?? throw new FormatException($"Invalid dpkg version '{b}'.");
        var c = x.Epoch.CompareTo(y.Epoch);
        if (c != 0)
        {
            return c;
        }

        c = VerRevCmp(x.Upstream, y.Upstream);
        return c != 0 ? c : VerRevCmp(x.Revision, y.Revision);
    }

    public bool IsValid(string version) => Parse(version) is not null;

    private static (long Epoch, string Upstream, string Revision)? Parse(string version)
    {
        var v = version.Trim();
        if (v.Length == 0 || v.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        long epoch = 0;
        var colon = v.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!long.TryParse(v.AsSpan(0, colon), System.Globalization.NumberStyles.None, null, out epoch))
            {
                return null;
            }

            v = v[(colon + 1)..];
        }

        var dash = v.LastIndexOf('-');
        var upstream = dash >= 0 ? v[..dash] : v;
        var revision = dash >= 0 ? v[(dash + 1)..] : string.Empty;

        // dpkg requires the upstream part to start with a digit; it only warns, so mirror its leniency but
        // reject an empty upstream, which dpkg refuses outright.
        return upstream.Length == 0 ? null : (epoch, upstream, revision);
    }

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
