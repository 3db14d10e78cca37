namespace Pipeline.Vulnerabilities.Versions;

/// <summary>
/// rpm's ordering: epoch (absent = 0), then version and release with <c>rpmvercmp</c> (rpm 4.16+): runs of
/// digits or letters compared segment by segment, digits newer than letters, <c>~</c> older than anything
/// (pre-releases), <c>^</c> newer than the end of the string but older than a further segment (snapshots).
/// Versions are written <c>[epoch:]version[-release]</c>, as OSV and <see cref="Core.Model.Package.FullVersion"/> do.
/// </summary>
internal sealed class RpmVersionComparer : VersionComparer<RpmVersionComparer.Version>
{
    public static readonly RpmVersionComparer Instance = new();

    protected override string Kind => "rpm";

    internal override int CompareParsed(Version x, Version y)
    {
        var c = x.Epoch.CompareTo(y.Epoch);
        if (c != 0)
        {
            return c;
        }

        c = RpmVerCmp(x.Upstream, y.Upstream);
        if (c != 0)
        {
            return c;
        }

        // rpm compares releases only when both sides state one (a dependency on "1.0" matches "1.0-3").
        return x.Release is null || y.Release is null ? 0 : RpmVerCmp(x.Release, y.Release);
    }

    internal override Version? Parse(string version) =>
        EpochVersion.Split(version) is { } parts ? new Version(parts.Epoch, parts.Version, parts.Release) : null;

    /// <summary>A port of rpm's <c>rpmvercmp</c> (rpmio/rpmvercmp.c).</summary>
    internal static int RpmVerCmp(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && !char.IsAsciiLetterOrDigit(a[i]) && a[i] is not '~' and not '^')
            {
                i++;
            }

            while (j < b.Length && !char.IsAsciiLetterOrDigit(b[j]) && b[j] is not '~' and not '^')
            {
                j++;
            }

            var ca = i < a.Length ? a[i] : '\0';
            var cb = j < b.Length ? b[j] : '\0';
            if (ca == '~' || cb == '~')
            {
                if (ca != '~')
                {
                    return 1;
                }

                if (cb != '~')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (ca == '^' || cb == '^')
            {
                if (ca == '\0')
                {
                    return -1;
                }

                if (cb == '\0')
                {
                    return 1;
                }

                if (ca != '^')
                {
                    return 1;
                }

                if (cb != '^')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (ca == '\0' || cb == '\0')
            {
                break;
            }

            int si = i, sj = j;
            var isNum = char.IsAsciiDigit(ca);
            if (isNum)
            {
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }
            }
            else
            {
                while (i < a.Length && char.IsAsciiLetter(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiLetter(b[j]))
                {
                    j++;
                }
            }

            if (sj == j)
            {
                // The segments are of different types: numeric is newer than alpha.
                return isNum ? 1 : -1;
            }

            var sa = a.AsSpan(si, i - si);
            var sb = b.AsSpan(sj, j - sj);
            if (isNum)
            {
                sa = sa.TrimStart('0');
                sb = sb.TrimStart('0');
                if (sa.Length != sb.Length)
                {
                    return sa.Length > sb.Length ? 1 : -1;
                }
            }

            var rc = sa.SequenceCompareTo(sb);
            if (rc != 0)
            {
                return Math.Sign(rc);
            }
        }

        var endA = i >= a.Length;
        var endB = j >= b.Length;
        return endA && endB ? 0 : endA ? -1 : 1;
    }

    internal sealed record Version(long Epoch, string Upstream, string? Release);
}
