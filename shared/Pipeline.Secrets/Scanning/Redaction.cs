namespace Pipeline.Secrets.Scanning;

/// <summary>Masks secrets for display. The only place a preview is made, so the rule is stated once.</summary>
public static class Redaction
{
    /// <summary>Longest run of <c>*</c> in a preview: enough to show something was hidden, not how long it was.</summary>
    private const int MaxMask = 12;

    /// <summary>
    /// A preview of <paramref name="secret"/>: at most 4 characters at each end, fewer for shorter secrets
    /// (3 from 16 characters, 2 from 12), none below 12 characters, with <c>*</c> in between.
    /// </summary>
    public static string Preview(ReadOnlySpan<char> secret)
    {
        var trimmed = secret.Trim();
        var keep = trimmed.Length switch
        {
            >= 24 => 4,
            >= 16 => 3,
            >= 12 => 2,
            _ => 0,
        };
        var mask = new string('*', Math.Clamp(trimmed.Length - (2 * keep), 1, MaxMask));
        return keep == 0 ? mask : string.Concat(trimmed[..keep], mask, trimmed[^keep..]);
    }

    /// <summary>Replaces <paramref name="secret"/> in <paramref name="text"/> by its preview (for line excerpts and messages).</summary>
    public static string Mask(string text, string secret) =>
        secret.Length == 0 ? text : text.Replace(secret, Preview(secret), StringComparison.Ordinal);
}
