using System.Collections.Frozen;

namespace Pipeline.Vulnerabilities.Matching;

/// <summary>
/// CVSS v4.0 score from a vector string, per the FIRST specification (section 8, "CVSS v4.0 Scoring"): the
/// vector's equivalence classes EQ1–EQ6 name a macro vector whose expert-assigned score is looked up, then
/// lowered by the vector's mean proportional severity distance from the highest vectors of that macro vector,
/// each EQ's distance scaled by the score gap to the next lower macro vector. Threat (<c>E</c>) and
/// environmental metrics count when present, as the specification's calculator counts them; supplemental
/// metrics are validated and do not change the score.
/// </summary>
internal static class CvssV4
{
    /// <summary>Every metric a v4.0 vector may carry, with its allowed values (<c>X</c> = not defined).</summary>
    private static readonly FrozenDictionary<string, string[]> Metrics = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // Base (all mandatory)
        ["AV"] = ["N", "A", "L", "P"], ["AC"] = ["L", "H"], ["AT"] = ["N", "P"], ["PR"] = ["N", "L", "H"], ["UI"] = ["N", "P", "A"],
        ["VC"] = ["H", "L", "N"], ["VI"] = ["H", "L", "N"], ["VA"] = ["H", "L", "N"],
        ["SC"] = ["H", "L", "N"], ["SI"] = ["H", "L", "N"], ["SA"] = ["H", "L", "N"],

        // Threat
        ["E"] = ["X", "A", "P", "U"],

        // Environmental
        ["CR"] = ["X", "H", "M", "L"], ["IR"] = ["X", "H", "M", "L"], ["AR"] = ["X", "H", "M", "L"],
        ["MAV"] = ["X", "N", "A", "L", "P"], ["MAC"] = ["X", "L", "H"], ["MAT"] = ["X", "N", "P"], ["MPR"] = ["X", "N", "L", "H"], ["MUI"] = ["X", "N", "P", "A"],
        ["MVC"] = ["X", "H", "L", "N"], ["MVI"] = ["X", "H", "L", "N"], ["MVA"] = ["X", "H", "L", "N"],
        ["MSC"] = ["X", "H", "L", "N"], ["MSI"] = ["X", "S", "H", "L", "N"], ["MSA"] = ["X", "S", "H", "L", "N"],

        // Supplemental (no effect on the score)
        ["S"] = ["X", "N", "P"], ["AU"] = ["X", "N", "Y"], ["R"] = ["X", "A", "U", "I"], ["V"] = ["X", "D", "C"],
        ["RE"] = ["X", "L", "M", "H"], ["U"] = ["X", "Clear", "Green", "Amber", "Red"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] BaseMetrics = ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"];

    /// <summary>
    /// Each metric value's severity level in tenths (0 = most severe), the unit of severity distance
    /// (the reference calculator's <c>*_levels</c>).
    /// </summary>
    private static readonly FrozenDictionary<string, int> Levels = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AV:N"] = 0, ["AV:A"] = 1, ["AV:L"] = 2, ["AV:P"] = 3,
        ["PR:N"] = 0, ["PR:L"] = 1, ["PR:H"] = 2,
        ["UI:N"] = 0, ["UI:P"] = 1, ["UI:A"] = 2,
        ["AC:L"] = 0, ["AC:H"] = 1,
        ["AT:N"] = 0, ["AT:P"] = 1,
        ["VC:H"] = 0, ["VC:L"] = 1, ["VC:N"] = 2,
        ["VI:H"] = 0, ["VI:L"] = 1, ["VI:N"] = 2,
        ["VA:H"] = 0, ["VA:L"] = 1, ["VA:N"] = 2,
        ["SC:H"] = 1, ["SC:L"] = 2, ["SC:N"] = 3,
        ["SI:S"] = 0, ["SI:H"] = 1, ["SI:L"] = 2, ["SI:N"] = 3,
        ["SA:S"] = 0, ["SA:H"] = 1, ["SA:L"] = 2, ["SA:N"] = 3,
        ["CR:H"] = 0, ["CR:M"] = 1, ["CR:L"] = 2,
        ["IR:H"] = 0, ["IR:M"] = 1, ["IR:L"] = 2,
        ["AR:H"] = 0, ["AR:M"] = 1, ["AR:L"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The highest-severity vectors of each EQ level (the reference calculator's <c>max_composed</c>).</summary>
    private static readonly string[][] Eq1Maxes = [["AV:N/PR:N/UI:N"], ["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"], ["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"]];

    private static readonly string[][] Eq2Maxes = [["AC:L/AT:N"], ["AC:H/AT:N", "AC:L/AT:P"]];

    /// <summary>EQ3 and EQ6 together, indexed [eq3][eq6] (EQ3 level 2 with EQ6 level 0 cannot occur).</summary>
    private static readonly string[][][] Eq3Eq6Maxes =
    [
        [["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"], ["VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"]],
        [
            ["VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"],
            ["VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M", "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"],
        ],
        [[], ["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"]],
    ];

    private static readonly string[][] Eq4Maxes = [["SC:H/SI:S/SA:S"], ["SC:H/SI:H/SA:H"], ["SC:L/SI:L/SA:L"]];

    private static readonly string[][] Eq5Maxes = [["E:A"], ["E:P"], ["E:U"]];

    /// <summary>The depth of each EQ level in tenths: its largest severity distance, plus one (the calculator's <c>max_severity</c>).</summary>
    private static readonly int[] Eq1Depth = [1, 4, 5];

    private static readonly int[] Eq2Depth = [1, 2];

    private static readonly int[][] Eq3Eq6Depth = [[7, 6], [8, 8], [0, 10]];

    private static readonly int[] Eq4Depth = [6, 5, 4];

    /// <summary>
    /// The score of every macro vector (EQ1…EQ6 levels as six digits), from the specification's expert ranking
    /// (the calculator's <c>cvss_lookup</c>): 270 entries, written here by EQ1/EQ2/EQ3 prefix, then EQ4/EQ5/EQ6 suffix.
    /// </summary>
    private static readonly FrozenDictionary<string, decimal> MacroScores = BuildMacroScores();

    /// <summary>How many macro vectors have a score (the specification lists 270).</summary>
    internal static int MacroVectorCount => MacroScores.Count;

    /// <summary>The score, or null when the text is not a valid CVSS v4.0 vector (every base metric once, known values only).</summary>
    public static double? Score(string vector)
    {
        if (Parse(vector) is not { } m)
        {
            return null;
        }

        string Effective(string metric)
        {
            var selected = m.GetValueOrDefault(metric, "X");

            // Undefined threat and security requirements take their worst case; modified metrics override base ones.
            switch (metric)
            {
                case "E" when selected == "X":
                    return "A";
                case "CR" or "IR" or "AR" when selected == "X":
                    return "H";
            }

            return m.TryGetValue("M" + metric, out var modified) && modified != "X" ? modified : selected;
        }

        if (new[] { "VC", "VI", "VA", "SC", "SI", "SA" }.All(x => Effective(x) == "N"))
        {
            return 0;
        }

        var (av, pr, ui) = (Effective("AV"), Effective("PR"), Effective("UI"));
        var eq1 = av == "N" && pr == "N" && ui == "N" ? 0 : (av == "N" || pr == "N" || ui == "N") && av != "P" ? 1 : 2;
        var eq2 = Effective("AC") == "L" && Effective("AT") == "N" ? 0 : 1;
        var (vc, vi, va) = (Effective("VC"), Effective("VI"), Effective("VA"));
        var eq3 = vc == "H" && vi == "H" ? 0 : vc == "H" || vi == "H" || va == "H" ? 1 : 2;
        var eq4 = Effective("MSI") == "S" || Effective("MSA") == "S" ? 0
            : Effective("SC") == "H" || Effective("SI") == "H" || Effective("SA") == "H" ? 1 : 2;
        var eq5 = Effective("E") switch { "A" => 0, "P" => 1, _ => 2 };
        var eq6 = (Effective("CR") == "H" && vc == "H") || (Effective("IR") == "H" && vi == "H") || (Effective("AR") == "H" && va == "H") ? 0 : 1;

        var value = MacroScores[Macro(eq1, eq2, eq3, eq4, eq5, eq6)];

        // The next lower macro vector per EQ; EQ3 and EQ6 move together, and from 00 either way (the higher score counts).
        decimal? Lower(int a, int b, int c, int d, int e, int f) => MacroScores.TryGetValue(Macro(a, b, c, d, e, f), out var s) ? s : null;
        var lower1 = Lower(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
        var lower2 = Lower(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
        var lower36 = (eq3, eq6) switch
        {
            (0, 0) => Max(Lower(eq1, eq2, eq3, eq4, eq5, eq6 + 1), Lower(eq1, eq2, eq3 + 1, eq4, eq5, eq6)),
            (1, 0) => Lower(eq1, eq2, eq3, eq4, eq5, eq6 + 1),
            (0 or 1, 1) => Lower(eq1, eq2, eq3 + 1, eq4, eq5, eq6),
            _ => Lower(eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1),
        };
        var lower4 = Lower(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
        var lower5 = Lower(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

        // The severity distance from the first highest vector of the macro vector that is at least as severe in
        // every metric (when none is, the last one tried stands, as in the reference calculator).
        int Distance(string metric, Dictionary<string, string> max) =>
            Levels[metric + ":" + Effective(metric)] - Levels[metric + ":" + max[metric]];
        string[] distanceMetrics = ["AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR"];
        Dictionary<string, int> distances = [];
        foreach (var max in Compose(Eq1Maxes[eq1], Eq2Maxes[eq2], Eq3Eq6Maxes[eq3][eq6], Eq4Maxes[eq4], Eq5Maxes[eq5]))
        {
            distances = distanceMetrics.ToDictionary(x => x, x => Distance(x, max), StringComparer.Ordinal);
            if (distances.Values.All(d => d >= 0))
            {
                break;
            }
        }

        int Sum(params string[] metrics) => metrics.Sum(x => distances[x]);

        // Each EQ with a lower macro vector contributes its score gap times its proportion of the depth; the
        // mean over those EQs is taken from the macro vector's score. EQ5's proportion is always 0.
        var parts = new List<decimal>();
        void Add(decimal? lower, int distance, int depth)
        {
            if (lower is { } l)
            {
                parts.Add(depth == 0 ? 0 : (value - l) * distance / depth);
            }
        }

        Add(lower1, Sum("AV", "PR", "UI"), Eq1Depth[eq1]);
        Add(lower2, Sum("AC", "AT"), Eq2Depth[eq2]);
        Add(lower36, Sum("VC", "VI", "VA", "CR", "IR", "AR"), Eq3Eq6Depth[eq3][eq6]);
        Add(lower4, Sum("SC", "SI", "SA"), Eq4Depth[eq4]);
        Add(lower5, 0, 1);

        var score = value - (parts.Count == 0 ? 0 : parts.Sum() / parts.Count);

        // Rounded half up to one decimal. Decimal arithmetic keeps an exact x.x5 a tie, where binary floating
        // point can land one unit below it and round down.
        return (double)Math.Round(Math.Clamp(score, 0m, 10m), 1, MidpointRounding.AwayFromZero);
    }

    private static Dictionary<string, string>? Parse(string vector)
    {
        var parts = vector.Trim().Split('/');
        if (parts.Length < 1 + BaseMetrics.Length || parts[0] != "CVSS:4.0")
        {
            return null;
        }

        var m = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.AsSpan(1))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !Metrics.TryGetValue(part[..colon], out var allowed) || !allowed.Contains(part[(colon + 1)..], StringComparer.Ordinal) || !m.TryAdd(part[..colon], part[(colon + 1)..]))
            {
                return null; // unknown metric or value, or a metric given twice
            }
        }

        return BaseMetrics.All(m.ContainsKey) ? m : null;
    }

    private static string Macro(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) => string.Create(6, (eq1, eq2, eq3, eq4, eq5, eq6), static (span, e) =>
    {
        span[0] = (char)('0' + e.eq1);
        span[1] = (char)('0' + e.eq2);
        span[2] = (char)('0' + e.eq3);
        span[3] = (char)('0' + e.eq4);
        span[4] = (char)('0' + e.eq5);
        span[5] = (char)('0' + e.eq6);
    });

    private static decimal? Max(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    /// <summary>Every combination of one highest vector per EQ, in the reference calculator's order, as metric → value.</summary>
    private static IEnumerable<Dictionary<string, string>> Compose(string[] eq1, string[] eq2, string[] eq36, string[] eq4, string[] eq5)
    {
        foreach (var a in eq1)
        {
            foreach (var b in eq2)
            {
                foreach (var c in eq36)
                {
                    foreach (var d in eq4)
                    {
                        foreach (var e in eq5)
                        {
                            yield return string.Join('/', a, b, c, d, e).Split('/').Select(p => p.Split(':')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
                        }
                    }
                }
            }
        }
    }

    private static FrozenDictionary<string, decimal> BuildMacroScores()
    {
        // Rows: the EQ1, EQ2, EQ3 prefix, then scores for the suffixes (EQ4 EQ5 EQ6) in this order.
        // EQ3 level 2 forces EQ6 level 1, so those rows list only the suffixes ending in 1.
        string[] full = ["000", "001", "010", "011", "020", "021", "100", "101", "110", "111", "120", "121", "200", "201", "210", "211", "220", "221"];
        string[] eq6Is1 = ["001", "011", "021", "101", "111", "121", "201", "211", "221"];
        (string Prefix, decimal[] Scores)[] rows =
        [
            ("000", [10m, 9.9m, 9.8m, 9.5m, 9.5m, 9.2m, 10m, 9.6m, 9.3m, 8.7m, 9.1m, 8.1m, 9.3m, 9m, 8.9m, 8m, 8.1m, 6.8m]),
            ("001", [9.8m, 9.5m, 9.5m, 9.2m, 9m, 8.4m, 9.3m, 9.2m, 8.9m, 8.1m, 8.1m, 6.5m, 8.8m, 8m, 7.8m, 7m, 6.9m, 4.8m]),
            ("002", [9.2m, 8.2m, 7.2m, 7.9m, 6.9m, 5m, 6.9m, 5.5m, 2.7m]),
            ("010", [9.9m, 9.7m, 9.5m, 9.2m, 9.2m, 8.5m, 9.5m, 9.1m, 9m, 8.3m, 8.4m, 7.1m, 9.2m, 8.1m, 8.2m, 7.1m, 7.2m, 5.3m]),
            ("011", [9.5m, 9.3m, 9.2m, 8.5m, 8.5m, 7.3m, 9.2m, 8.2m, 8m, 7.2m, 7m, 5.9m, 8.4m, 7m, 7.1m, 5.2m, 5m, 3m]),
            ("012", [8.6m, 7.5m, 5.2m, 7.1m, 5.2m, 2.9m, 6.3m, 2.9m, 1.7m]),
            ("100", [9.8m, 9.5m, 9.4m, 8.7m, 9.1m, 8.1m, 9.4m, 8.9m, 8.6m, 7.4m, 7.7m, 6.4m, 8.7m, 7.5m, 7.4m, 6.3m, 6.3m, 4.9m]),
            ("101", [9.4m, 8.9m, 8.8m, 7.7m, 7.6m, 6.7m, 8.6m, 7.6m, 7.4m, 5.8m, 5.9m, 5m, 7.2m, 5.7m, 5.7m, 5.2m, 5.2m, 2.5m]),
            ("102", [8.3m, 7m, 5.4m, 6.5m, 5.8m, 2.6m, 5.3m, 2.1m, 1.3m]),
            ("110", [9.5m, 9m, 8.8m, 7.6m, 7.6m, 7m, 9m, 7.7m, 7.5m, 6.2m, 6.1m, 5.3m, 7.7m, 6.6m, 6.8m, 5.9m, 5.2m, 3m]),
            ("111", [8.9m, 7.8m, 7.6m, 6.7m, 6.2m, 5.8m, 7.4m, 5.9m, 5.7m, 5.7m, 4.7m, 2.3m, 6.1m, 5.2m, 5.7m, 2.9m, 2.4m, 1.6m]),
            ("112", [7.1m, 5.9m, 3m, 5.8m, 2.6m, 1.5m, 2.3m, 1.3m, 0.6m]),
            ("200", [9.3m, 8.7m, 8.6m, 7.2m, 7.5m, 5.8m, 8.6m, 7.4m, 7.4m, 6.1m, 5.6m, 3.4m, 7m, 5.4m, 5.2m, 4m, 4m, 2.2m]),
            ("201", [8.5m, 7.5m, 7.4m, 5.5m, 6.2m, 5.1m, 7.2m, 5.7m, 5.5m, 4.1m, 4.6m, 1.9m, 5.3m, 3.6m, 3.4m, 1.9m, 1.9m, 0.8m]),
            ("202", [6.4m, 5.1m, 2m, 4.7m, 2.1m, 1.1m, 2.4m, 0.9m, 0.4m]),
            ("210", [8.8m, 7.5m, 7.3m, 5.3m, 6m, 5m, 7.3m, 5.5m, 5.9m, 4m, 4.1m, 2m, 5.4m, 4.3m, 4.5m, 2.2m, 2m, 1.1m]),
            ("211", [7.5m, 5.5m, 5.8m, 4.5m, 4m, 2.1m, 6.1m, 5.1m, 4.8m, 1.8m, 2m, 0.9m, 4.6m, 1.8m, 1.7m, 0.7m, 0.8m, 0.2m]),
            ("212", [5.3m, 2.4m, 1.4m, 2.4m, 1.2m, 0.5m, 1m, 0.3m, 0.1m]),
        ];

        var table = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (prefix, scores) in rows)
        {
            var suffixes = prefix[2] == '2' ? eq6Is1 : full;
            for (var i = 0; i < scores.Length; i++)
            {
                table.Add(prefix + suffixes[i], scores[i]);
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
