using Pipeline.Core.Model;

namespace Pipeline.Vulnerabilities.Matching;

/// <summary>
/// CVSS v3.0/v3.1 base score from a vector string, per the FIRST specification (section 7.1 formulas,
/// Appendix A <c>Roundup</c>), and its qualitative rating (section 5).
/// </summary>
internal static class CvssV3
{
    /// <summary>The base score, or null when the vector is not a complete v3 base vector.</summary>
    public static double? BaseScore(string vector)
    {
        var parts = vector.Trim().Split('/');
        if (parts.Length < 9 || !parts[0].StartsWith("CVSS:3.", StringComparison.Ordinal))
        {
            return null;
        }

        var m = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var kv = part.Split(':');
            if (kv.Length != 2 || !m.TryAdd(kv[0], kv[1]))
            {
                return null;
            }
        }

        if (!m.TryGetValue("S", out var scope) || scope is not ("U" or "C"))
        {
            return null;
        }

        var changed = scope == "C";
        double? av = Get(m, "AV") switch { "N" => 0.85, "A" => 0.62, "L" => 0.55, "P" => 0.2, _ => null };
        double? ac = Get(m, "AC") switch { "L" => 0.77, "H" => 0.44, _ => null };
        double? pr = Get(m, "PR") switch { "N" => 0.85, "L" => changed ? 0.68 : 0.62, "H" => changed ? 0.5 : 0.27, _ => null };
        double? ui = Get(m, "UI") switch { "N" => 0.85, "R" => 0.62, _ => null };
        double? c = Cia(Get(m, "C"));
        double? i = Cia(Get(m, "I"));
        double? a = Cia(Get(m, "A"));
        if (av is null || ac is null || pr is null || ui is null || c is null || i is null || a is null)
        {
            return null;
        }

        var iss = 1 - ((1 - c.Value) * (1 - i.Value) * (1 - a.Value));
        var impact = changed ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        var exploitability = 8.22 * av.Value * ac.Value * pr.Value * ui.Value;
        if (impact <= 0)
        {
            return 0;
        }

        return changed ? Roundup(Math.Min(1.08 * (impact + exploitability), 10)) : Roundup(Math.Min(impact + exploitability, 10));
    }

    /// <summary>
    /// The qualitative rating CVSS v3 and v4.0 share (None 0.0, Low 0.1–3.9, Medium 4.0–6.9, High 7.0–8.9,
    /// Critical 9.0–10.0); None maps to <see cref="Severity.Unknown"/>.
    /// </summary>
    public static Severity Rating(double score) => score switch
    {
        >= 9.0 => Severity.Critical,
        >= 7.0 => Severity.High,
        >= 4.0 => Severity.Medium,
        >= 0.1 => Severity.Low,
        _ => Severity.Unknown,
    };

    /// <summary>The v3.1 Roundup: the smallest number with one decimal at or above the input, free of float noise.</summary>
    internal static double Roundup(double value)
    {
        var scaled = (long)Math.Round(value * 100000);
        return scaled % 10000 == 0 ? scaled / 100000.0 : (Math.Floor(scaled / 10000.0) + 1) / 10.0;
    }

    private static string? Get(Dictionary<string, string> m, string key) => m.GetValueOrDefault(key);

    private static double? Cia(string? value) => value switch { "H" => 0.56, "L" => 0.22, "N" => 0, _ => null };
}
