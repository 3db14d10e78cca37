using Pipeline.Vulnerabilities.Osv;
using Pipeline.Vulnerabilities.Versions;

namespace Pipeline.Vulnerabilities.Matching;

/// <summary>
/// One advisory's statement about one package: its ranges and explicit versions, evaluated as the OSV
/// schema's "Evaluation" section says: events sorted by version (introduced "0" first), walked in order,
/// <c>introduced</c> turning vulnerability on, <c>fixed</c> and <c>last_affected</c> turning it off, and a
/// version at or past every <c>limit</c> never affected. A range whose versions the ecosystem cannot parse
/// is skipped rather than guessed at.
/// </summary>
internal sealed class AffectedRanges(IReadOnlyList<OsvRange> ranges, IReadOnlyList<string> versions)
{
    private Prepared[]? prepared;
    private IVersionComparer? preparedFor;

    /// <summary>Whether <paramref name="version"/> is affected, and the smallest fixed version above it.</summary>
    public (bool Affected, string? Fixed) Evaluate(string version, IVersionComparer ecosystem)
    {
        var evaluable = Prepare(ecosystem);

        // The versions list is checked by spelling; only a statement without usable ranges pays for comparing
        // each listed version (GitHub's records list hundreds, all already covered by their ranges).
        var affected = versions.Contains(version, StringComparer.Ordinal)
            || (!evaluable.Any(r => r.Valid) && versions.Any(v => SafeEquals(ecosystem, v, version)));
        var fixes = new List<(string Version, IVersionComparer Comparer)>();
        foreach (var range in evaluable)
        {
            if (!range.Valid || !range.Comparer.IsValid(version))
            {
                continue;
            }

            var inRange = Walk(version, range.Sorted, range.Comparer);
            if (inRange || affected)
            {
                fixes.AddRange(range.Sorted.Where(e => e.Fixed is not null && range.Comparer.Compare(e.Fixed, version) > 0).Select(e => (e.Fixed!, range.Comparer)));
            }

            affected |= inRange;
        }

        if (!affected)
        {
            return (false, null);
        }

        string? smallest = null;
        foreach (var (fix, comparer) in fixes)
        {
            if (smallest is null || (comparer.IsValid(smallest) && comparer.Compare(fix, smallest) < 0))
            {
                smallest = fix;
            }
        }

        return (true, smallest);
    }

    /// <summary>
    /// Validates and sorts each range's events once: a statement is evaluated for every package version that
    /// meets it, and parsing versions dominates matching time.
    /// </summary>
    private Prepared[] Prepare(IVersionComparer ecosystem)
    {
        if (prepared is not null && ReferenceEquals(preparedFor, ecosystem))
        {
            return prepared;
        }

        var result = ranges.Select(range =>
        {
            var comparer = range.Type == "SEMVER" ? VersionComparers.SemVer : ecosystem;
            var events = range.Events ?? [];
            var valid = events.All(e => Valid(e, comparer));
            return new Prepared(comparer, valid, valid ? events.Order(new EventOrder(comparer)).ToList() : []);
        }).ToArray();
        (prepared, preparedFor) = (result, ecosystem);
        return result;
    }

    private sealed record Prepared(IVersionComparer Comparer, bool Valid, List<OsvEvent> Sorted);

    internal static bool InRange(string version, IReadOnlyList<OsvEvent> events, IVersionComparer comparer) =>
        Walk(version, events.Order(new EventOrder(comparer)).ToList(), comparer); // stable: ties keep document order

    private static bool Walk(string version, List<OsvEvent> sorted, IVersionComparer comparer)
    {
        var vulnerable = false;
        foreach (var e in sorted)
        {
            if (e.Introduced is not null)
            {
                if (e.Introduced == "0" || comparer.Compare(version, e.Introduced) >= 0)
                {
                    vulnerable = true;
                }
            }
            else if (e.Fixed is not null)
            {
                if (comparer.Compare(version, e.Fixed) >= 0)
                {
                    vulnerable = false;
                }
            }
            else if (e.LastAffected is not null)
            {
                if (comparer.Compare(version, e.LastAffected) > 0)
                {
                    vulnerable = false;
                }
            }
        }

        if (!vulnerable)
        {
            return false;
        }

        var limits = sorted.Where(e => e.Limit is not null && e.Limit != "*").Select(e => e.Limit!).ToList();
        return limits.Count == 0 || limits.Any(l => comparer.Compare(version, l) < 0);
    }

    private static bool Valid(OsvEvent e, IVersionComparer comparer)
    {
        var v = e.Introduced ?? e.Fixed ?? e.LastAffected ?? e.Limit;
        return v is null || (e.Introduced == "0") || (e.Limit == "*") || comparer.IsValid(v);
    }

    private static bool SafeEquals(IVersionComparer comparer, string a, string b) =>
        comparer.IsValid(a) && comparer.IsValid(b) && comparer.Compare(a, b) == 0;

    private static string? EventVersion(OsvEvent e) => e.Introduced ?? e.Fixed ?? e.LastAffected ?? e.Limit;

    /// <summary>Orders events by their version; introduced "0" sorts before everything.</summary>
    private sealed class EventOrder(IVersionComparer comparer) : IComparer<OsvEvent>
    {
        public int Compare(OsvEvent? x, OsvEvent? y)
        {
            var a = EventVersion(x!);
            var b = EventVersion(y!);
            var az = x!.Introduced == "0";
            var bz = y!.Introduced == "0";
            if (az || bz)
            {
                return az == bz ? 0 : az ? -1 : 1;
            }

            if (a is null || b is null || a == "*" || b == "*")
            {
                return (a is null || a == "*" ? 1 : 0) - (b is null || b == "*" ? 1 : 0);
            }

            return comparer.Compare(a, b);
        }
    }
}
