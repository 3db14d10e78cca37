using System.Text;
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
/// <remarks>
/// The database stores ranges in the compact text form of <see cref="Encode"/> rather than as OSV JSON: a
/// statement is read for every package it names, and splitting a line costs far less than a JSON parse.
/// </remarks>
internal sealed class AffectedRanges
{
    private const char RangeSeparator = '\n';
    private const char EventSeparator = '\t';

    private readonly string ranges;
    private readonly string versions;
    private Prepared[]? prepared;
    private IParsedVersionComparer? preparedFor;

    private AffectedRanges(string? ranges, string? versions)
    {
        this.ranges = ranges ?? string.Empty;
        this.versions = versions ?? string.Empty;
    }

    /// <summary>A statement from OSV's own shapes (ranges of any type; only ECOSYSTEM and SEMVER are evaluated).</summary>
    public AffectedRanges(IReadOnlyList<OsvRange> ranges, IReadOnlyList<string> versions)
        : this(Encode(ranges), EncodeVersions(versions))
    {
    }

    private enum Kind : byte
    {
        Introduced = (byte)'i',
        Fixed = (byte)'f',
        LastAffected = (byte)'l',
        Limit = (byte)'m',
    }

    /// <summary>Reads the stored form written by <see cref="Encode"/> and <see cref="EncodeVersions"/>.</summary>
    /// <remarks>Nothing is parsed until the statement is first evaluated: most statements read are never evaluated twice.</remarks>
    public static AffectedRanges FromStored(string? ranges, string? versions) => new(ranges, versions);

    /// <summary>
    /// The compact stored form of the ECOSYSTEM and SEMVER ranges, or null when none remain: one range per
    /// line, its type letter (<c>E</c> or <c>S</c>) then a tab before each event, written as its kind letter
    /// (<c>i</c>ntroduced, <c>f</c>ixed, <c>l</c>ast_affected, li<c>m</c>it) and version. A range naming a version
    /// with a control character is dropped: no package manager has such a version, and it cannot be stored.
    /// </summary>
    public static string? Encode(IEnumerable<OsvRange>? ranges)
    {
        var sb = new StringBuilder();
        foreach (var range in ranges ?? [])
        {
            if (range.Type is not ("ECOSYSTEM" or "SEMVER") || range.Events is not { Count: > 0 } events)
            {
                continue;
            }

            var line = new StringBuilder(range.Type == "SEMVER" ? "S" : "E");
            var storable = true;
            foreach (var e in events)
            {
                var (kind, version) = e.Introduced is { } i ? (Kind.Introduced, i)
                    : e.Fixed is { } f ? (Kind.Fixed, f)
                    : e.LastAffected is { } l ? (Kind.LastAffected, l)
                    : e.Limit is { } m ? (Kind.Limit, m)
                    : (default(Kind), (string?)null);
                if (version is null)
                {
                    continue; // an event without a version says nothing
                }

                storable &= !version.Any(char.IsControl);
                line.Append(EventSeparator).Append((char)kind).Append(version);
            }

            if (storable)
            {
                sb.Append(sb.Length > 0 ? RangeSeparator.ToString() : string.Empty).Append(line);
            }
        }

        return sb.Length > 0 ? sb.ToString() : null;
    }

    /// <summary>The explicit versions, one per line (without control characters, as <see cref="Encode"/>), or null when there are none.</summary>
    public static string? EncodeVersions(IEnumerable<string>? versions)
    {
        var kept = (versions ?? []).Where(v => v.Length > 0 && !v.Any(char.IsControl)).ToList();
        return kept.Count > 0 ? string.Join(RangeSeparator, kept) : null;
    }

    /// <summary>Whether <paramref name="version"/> is affected, and the smallest fixed version above it.</summary>
    public (bool Affected, string? Fixed) Evaluate(string version, IVersionComparer ecosystem) =>
        Evaluate(new InstalledVersion(version, ecosystem));

    /// <summary>Whether the installed version is affected, and the smallest fixed version above it.</summary>
    public (bool Affected, string? Fixed) Evaluate(InstalledVersion installed)
    {
        var evaluable = Prepare(installed.Ecosystem);

        // The versions list is checked by spelling; only a statement without usable ranges pays for comparing
        // each listed version (GitHub's records list hundreds, all already covered by their ranges).
        var affected = ListsExactly(installed.Text)
            || (!evaluable.Any(r => r.Valid) && ListsEquivalent(installed));
        List<(string Text, object Parsed, IParsedVersionComparer Comparer)>? fixes = null;
        foreach (var range in evaluable)
        {
            if (!range.Valid || installed.Parsed(range.Comparer) is not { } version)
            {
                continue;
            }

            var inRange = Walk(version, range.Sorted, range.Comparer);
            if (inRange || affected)
            {
                foreach (var e in range.Sorted)
                {
                    if (e.Kind == Kind.Fixed && range.Comparer.CompareParsed(e.Parsed!, version) > 0)
                    {
                        (fixes ??= []).Add((e.Text, e.Parsed!, range.Comparer));
                    }
                }
            }

            affected |= inRange;
        }

        if (!affected)
        {
            return (false, null);
        }

        (string Text, object Parsed, IParsedVersionComparer Comparer)? smallest = null;
        foreach (var fix in fixes ?? [])
        {
            if (smallest is not { } s)
            {
                smallest = fix;
            }
            else if ((ReferenceEquals(s.Comparer, fix.Comparer) ? s.Parsed : fix.Comparer.Parse(s.Text)) is { } current
                     && fix.Comparer.CompareParsed(fix.Parsed, current) < 0)
            {
                smallest = fix;
            }
        }

        return (true, smallest?.Text);
    }

    internal static bool InRange(string version, IReadOnlyList<OsvEvent> events, IVersionComparer comparer)
    {
        var range = new AffectedRanges([new OsvRange { Type = "ECOSYSTEM", Events = [.. events] }], []).Prepare(ParsedVersions.For(comparer))[0];
        return range.Valid && range.Comparer.Parse(version) is { } parsed && Walk(parsed, range.Sorted, range.Comparer);
    }

    private bool ListsExactly(string version)
    {
        // Whole lines only: "1.0" must not match inside "1.0.1".
        var at = 0;
        while ((at = versions.IndexOf(version, at, StringComparison.Ordinal)) >= 0)
        {
            var end = at + version.Length;
            if ((at == 0 || versions[at - 1] == RangeSeparator) && (end == versions.Length || versions[end] == RangeSeparator))
            {
                return true;
            }

            at++;
        }

        return false;
    }

    private bool ListsEquivalent(InstalledVersion installed)
    {
        if (versions.Length == 0)
        {
            return false;
        }

        var comparer = ParsedVersions.For(installed.Ecosystem);
        if (installed.Parsed(comparer) is not { } version)
        {
            return false;
        }

        foreach (var listed in versions.Split(RangeSeparator))
        {
            if (comparer.Parse(listed) is { } v && comparer.CompareParsed(v, version) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses, validates and sorts each range's events once: a statement is evaluated for every package version
    /// that meets it, and parsing versions dominates matching time.
    /// </summary>
    private Prepared[] Prepare(IVersionComparer ecosystem) => Prepare(ParsedVersions.For(ecosystem));

    private Prepared[] Prepare(IParsedVersionComparer ecosystem)
    {
        if (prepared is not null && ReferenceEquals(preparedFor, ecosystem))
        {
            return prepared;
        }

        // Read straight from the stored text: one line per range, a tab before each event.
        var result = new Prepared[ranges.Length == 0 ? 0 : ranges.AsSpan().Count(RangeSeparator) + 1];
        var start = 0;
        for (var i = 0; i < result.Length; i++)
        {
            var end = ranges.IndexOf(RangeSeparator, start);
            end = end < 0 ? ranges.Length : end;
            var line = ranges.AsSpan(start, end - start);
            var comparer = line.StartsWith("S") ? ParsedVersions.For(VersionComparers.SemVer) : ecosystem;
            var events = new Event[line.Count(EventSeparator)];
            var valid = true;
            var at = start + line.IndexOf(EventSeparator);
            for (var j = 0; j < events.Length && valid; j++)
            {
                var next = ranges.IndexOf(EventSeparator, at + 1, end - at - 1);
                next = next < 0 ? end : next;
                var kind = (Kind)ranges[at + 1];
                var text = ranges.Substring(at + 2, next - at - 2);
                var open = (kind == Kind.Introduced && text == "0") || (kind == Kind.Limit && text == "*");
                var parsed = open ? null : comparer.Parse(text);
                valid = open || parsed is not null;
                events[j] = new Event(kind, text, parsed);
                at = next;
            }

            if (valid)
            {
                Sort(events, comparer);
            }

            result[i] = new Prepared(comparer, valid, valid ? events : []);
            start = end + 1;
        }

        (prepared, preparedFor) = (result, ecosystem);
        return result;
    }

    /// <summary>
    /// Sorts events by version, stably (events of equal version keep their document order): by insertion, as a
    /// range has a handful of events, or by LINQ's stable sort for the rare long one.
    /// </summary>
    private static void Sort(Event[] events, IParsedVersionComparer comparer)
    {
        var order = new EventOrder(comparer);
        if (events.Length > 16)
        {
            events.Order(order).ToArray().CopyTo(events, 0);
            return;
        }

        for (var i = 1; i < events.Length; i++)
        {
            var e = events[i];
            var j = i - 1;
            for (; j >= 0 && order.Compare(events[j], e) > 0; j--)
            {
                events[j + 1] = events[j];
            }

            events[j + 1] = e;
        }
    }

    private static bool Walk(object version, Event[] sorted, IParsedVersionComparer comparer)
    {
        var vulnerable = false;
        var limited = false;
        var belowALimit = false;
        foreach (var e in sorted)
        {
            switch (e.Kind)
            {
                case Kind.Introduced when e.Parsed is null || comparer.CompareParsed(version, e.Parsed) >= 0:
                    vulnerable = true;
                    break;
                case Kind.Fixed when comparer.CompareParsed(version, e.Parsed!) >= 0:
                    vulnerable = false;
                    break;
                case Kind.LastAffected when comparer.CompareParsed(version, e.Parsed!) > 0:
                    vulnerable = false;
                    break;
                case Kind.Limit when e.Parsed is not null:
                    limited = true;
                    belowALimit |= comparer.CompareParsed(version, e.Parsed) < 0;
                    break;
            }
        }

        return vulnerable && (!limited || belowALimit);
    }

    /// <summary>An event with its version parsed; null for the open bounds introduced "0" and limit "*".</summary>
    private readonly record struct Event(Kind Kind, string Text, object? Parsed);

    private sealed record Prepared(IParsedVersionComparer Comparer, bool Valid, Event[] Sorted);

    /// <summary>Orders events by their version; introduced "0" sorts before everything, limit "*" after.</summary>
    private readonly struct EventOrder(IParsedVersionComparer comparer) : IComparer<Event>
    {
        public int Compare(Event x, Event y)
        {
            var xz = x.Kind == Kind.Introduced && x.Parsed is null;
            var yz = y.Kind == Kind.Introduced && y.Parsed is null;
            if (xz || yz)
            {
                return xz == yz ? 0 : xz ? -1 : 1;
            }

            if (x.Parsed is null || y.Parsed is null)
            {
                return (x.Parsed is null ? 1 : 0) - (y.Parsed is null ? 1 : 0);
            }

            return comparer.CompareParsed(x.Parsed, y.Parsed);
        }
    }
}

/// <summary>
/// An installed package's version, parsed at most once per order it is compared in (the ecosystem's, and
/// SemVer's for SEMVER ranges) however many statements it is evaluated against.
/// </summary>
internal sealed class InstalledVersion(string text, IVersionComparer ecosystem)
{
    private object? ecosystemParsed;
    private bool ecosystemDone;
    private object? semverParsed;
    private bool semverDone;

    public string Text => text;

    public IVersionComparer Ecosystem => ecosystem;

    /// <summary>The version as <paramref name="comparer"/> parses it, or null when it cannot.</summary>
    public object? Parsed(IParsedVersionComparer comparer)
    {
        if (ReferenceEquals(comparer, ecosystem))
        {
            if (!ecosystemDone)
            {
                (ecosystemParsed, ecosystemDone) = (comparer.Parse(text), true);
            }

            return ecosystemParsed;
        }

        if (ReferenceEquals(comparer, VersionComparers.SemVer))
        {
            if (!semverDone)
            {
                (semverParsed, semverDone) = (comparer.Parse(text), true);
            }

            return semverParsed;
        }

        return comparer.Parse(text);
    }
}
