namespace Pipeline.Secrets.Scanning;

/// <summary>Shannon entropy, the measure generic rules use to tell a random value from a word.</summary>
internal static class Entropy
{
    /// <summary>Bits per character of <paramref name="value"/> (0 for empty, at most log2 of its length).</summary>
    public static double Shannon(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        Span<int> counts = stackalloc int[256];
        var other = new Dictionary<char, int>();
        foreach (var c in value)
        {
            if (c < 256)
            {
                counts[c]++;
            }
            else
            {
                other[c] = other.GetValueOrDefault(c) + 1;
            }
        }

        double h = 0;
        double n = value.Length;
        foreach (var k in counts)
        {
            if (k > 0)
            {
                var p = k / n;
                h -= p * Math.Log2(p);
            }
        }

        foreach (var k in other.Values)
        {
            var p = k / n;
            h -= p * Math.Log2(p);
        }

        return h;
    }
}
