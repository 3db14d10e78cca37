namespace Pipeline.Vulnerabilities.Versions;

/// <summary>Splits the <c>[epoch:]version[-release]</c> form dpkg and rpm share (release after the last dash).</summary>
internal static class EpochVersion
{
    /// <summary>Null when the text is empty or the epoch is not a number.</summary>
    public static (long Epoch, string Version, string? Release)? Split(string text)
    {
        var v = text.Trim();
        if (v.Length == 0)
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
        return dash >= 0 ? (epoch, v[..dash], v[(dash + 1)..]) : (epoch, v, null);
    }
}
