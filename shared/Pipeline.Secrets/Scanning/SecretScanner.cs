using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Core.Findings;
using Pipeline.Secrets.Rules;

namespace Pipeline.Secrets.Scanning;

/// <summary>
/// Finds secrets in file contents. One pass over the bytes looks for every rule's keywords at once; a rule's
/// pattern then runs only over the lines around its keywords (or the whole file for multi-line rules), so
/// the common file, which holds no keyword at all, costs one vectorized search and no regex.
/// </summary>
/// <remarks>Thread-safe: one instance serves every layer worker thread.</remarks>
public sealed class SecretScanner
{
    /// <summary>Bytes inspected for a NUL to call a file binary (as git and grep do).</summary>
    public const int BinaryProbeBytes = 8 * 1024;

    // A keyword's window reaches back to the start of its line and forward to its end, but never further than
    // these, so a megabyte-long minified line costs a few kilobytes per keyword, not a megabyte.
    private const int WindowBefore = 512;
    private const int WindowAfter = 4096;

    /// <summary>A file with more matches than this is hostile or generated; the first ones are reported, the rest dropped.</summary>
    public const int MaxMatchesPerFile = 1000;

    private readonly SecretRule[] _rules;
    private readonly string[] _keywords;
    private readonly KeywordIndex _keywordIndex;
    private readonly int[][] _rulesByKeyword;
    private readonly int[][] _requiredByRule;
    private readonly int[][] _keywordsByRule;
    private readonly PathGlob?[] _ruleAllowPaths;
    private readonly PathGlob _skipPaths;
    private readonly SecretFingerprinter _fingerprinter;

    /// <summary>Creates a scanner.</summary>
    /// <param name="options">Which files to skip; defaults to <see cref="SecretScanOptions"/>' defaults.</param>
    /// <param name="fingerprinter">Salts fingerprints; defaults to <see cref="SecretFingerprinter.Create"/> (environment or per-user salt file).</param>
    /// <param name="rules">The rules; defaults to <see cref="BuiltinSecretRules.All"/>.</param>
    public SecretScanner(SecretScanOptions? options = null, SecretFingerprinter? fingerprinter = null, IReadOnlyList<SecretRule>? rules = null)
    {
        Options = options ?? new SecretScanOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxFileBytes, nameof(options));
        _fingerprinter = fingerprinter ?? SecretFingerprinter.Create();
        _rules = [.. rules ?? BuiltinSecretRules.All];
        _skipPaths = new PathGlob(Options.SkipPaths);

        var keywordIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int Index(string keyword)
        {
            var k = keyword.ToLowerInvariant();
            if (k.Length < 2 || k.Any(c => c >= 128))
            {
                throw new ArgumentException($"Keyword '{keyword}' must be ASCII and at least two characters long.", nameof(rules));
            }

            if (!keywordIndex.TryGetValue(k, out var i))
            {
                i = keywordIndex.Count;
                keywordIndex.Add(k, i);
            }

            return i;
        }

        var rulesByKeyword = new List<List<int>>();
        _requiredByRule = new int[_rules.Length][];
        _keywordsByRule = new int[_rules.Length][];
        _ruleAllowPaths = new PathGlob?[_rules.Length];
        for (var r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            if (rule.Keywords.Count == 0)
            {
                throw new ArgumentException($"Rule {rule.Id} has no keyword; every rule needs one for the pre-filter.", nameof(rules));
            }

            _keywordsByRule[r] = [.. rule.Keywords.Select(Index)];
            foreach (var i in _keywordsByRule[r])
            {
                while (rulesByKeyword.Count <= i)
                {
                    rulesByKeyword.Add([]);
                }

                rulesByKeyword[i].Add(r);
            }

            _requiredByRule[r] = [.. rule.RequiredKeywords.Select(Index)];
            _ruleAllowPaths[r] = rule.AllowPaths.Count > 0 ? new PathGlob(rule.AllowPaths) : null;
        }

        _keywords = new string[keywordIndex.Count];
        foreach (var (k, i) in keywordIndex)
        {
            _keywords[i] = k;
        }

        while (rulesByKeyword.Count < _keywords.Length)
        {
            rulesByKeyword.Add([]);
        }

        _rulesByKeyword = [.. rulesByKeyword.Select(l => l.Distinct().ToArray())];
        _keywordIndex = new KeywordIndex(_keywords);
    }

    /// <summary>The options this scanner was made with.</summary>
    public SecretScanOptions Options { get; }

    /// <summary>The rules this scanner runs.</summary>
    public IReadOnlyList<SecretRule> Rules => _rules;

    /// <summary>Whether a file with this path and size is scanned at all (size, extension, skipped paths). Cheap.</summary>
    public bool ShouldScan(string path, long size)
    {
        if (size > Options.MaxFileBytes || size <= 0)
        {
            return false;
        }

        var name = path[(path.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        if (dot > 0 && (Options.SkipExtensions.Contains(name[dot..]) || Options.SkipExtensions.Contains(name[dot..].ToLowerInvariant())))
        {
            return false;
        }

        // Versioned shared libraries (libc.so.6, libssl.so.3) carry their extension in the middle.
        if (name.Contains(".so.", StringComparison.Ordinal))
        {
            return false;
        }

        return !_skipPaths.IsMatch(path);
    }

    /// <summary>True when the first <see cref="BinaryProbeBytes"/> hold a NUL byte.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> content) =>
        content[..Math.Min(content.Length, BinaryProbeBytes)].Contains((byte)0);

    /// <summary>
    /// Scans one file. Returns no finding for a file <see cref="ShouldScan"/> rejects or that looks binary.
    /// Findings carry the path, line, a redacted preview and a salted fingerprint, never the value.
    /// </summary>
    public IReadOnlyList<SecretFinding> Scan(string path, ReadOnlySpan<byte> content)
    {
        var normalized = PathGlob.Normalize(path);
        if (!ShouldScan(normalized, content.Length) || IsBinary(content))
        {
            return [];
        }

        return ToFindings(normalized, FindMatches(normalized, content));
    }

    /// <summary>Scans text that is not a file (an image config's <c>KEY=VALUE</c> lines); <paramref name="path"/> names where it came from.</summary>
    public IReadOnlyList<SecretFinding> ScanText(string path, string text) => ToFindings(path, FindMatches(path, text));

    /// <summary>Makes a finding for a value found some other way (a sensitive variable name), redacted and fingerprinted like the rest.</summary>
    public SecretFinding CreateFinding(string ruleId, string title, Core.Model.Severity severity, string path, int line, string secret) => new()
    {
        RuleId = ruleId,
        Title = title,
        Severity = severity,
        Path = path,
        Line = line,
        Preview = Redaction.Preview(secret),
        Fingerprint = _fingerprinter.Fingerprint(secret),
    };

    private List<SecretFinding> ToFindings(string path, List<SecretMatch> matches) =>
        matches.ConvertAll(m => CreateFinding(m.Rule.Id, m.Rule.Title, m.Rule.Severity, path, m.Line, m.Value));

    /// <summary>Matches with their raw values, for this assembly only: nothing outside may hold a value.</summary>
    internal List<SecretMatch> FindMatches(string path, ReadOnlySpan<byte> content)
    {
        var hits = Prefilter(content);
        if (hits is null)
        {
            return [];
        }

        // Latin-1 maps each byte to one char, so offsets (and line numbers) are byte offsets and nothing is lost.
        var matches = RunRules(path, Encoding.Latin1.GetString(content), hits);
        for (var i = 0; i < matches.Count; i++)
        {
            // Values are reported as the file meant them: UTF-8 (ASCII secrets are unchanged).
            var m = matches[i];
            matches[i] = m with { Value = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(m.Value)) };
        }

        return matches;
    }

    /// <summary>Text that is not a file is scanned as its UTF-8 bytes, so it gets exactly the file treatment.</summary>
    internal List<SecretMatch> FindMatches(string path, string text) => FindMatches(path, Encoding.UTF8.GetBytes(text));

    private Hits? Prefilter(ReadOnlySpan<byte> text)
    {
        if (_keywordIndex.FindAll(text) is not { } found)
        {
            return null;
        }

        var hits = new Hits(_keywords.Length, _rules.Length);
        foreach (var (k, at) in found)
        {
            hits.Seen[k] = true;
            foreach (var r in _rulesByKeyword[k])
            {
                if (!_rules[r].MultiLine)
                {
                    hits.AddWindow(r, text, at);
                }
            }
        }

        return hits;
    }

    private List<SecretMatch> RunRules(string path, string text, Hits hits)
    {
        var found = new List<SecretMatch>();
        for (var r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            if (!_requiredByRule[r].All(k => hits.Seen[k]) || (_ruleAllowPaths[r]?.IsMatch(path) ?? false))
            {
                continue;
            }

            if (found.Count >= MaxMatchesPerFile)
            {
                break;
            }

            if (rule.MultiLine)
            {
                if (_keywordsByRule[r].Any(k => hits.Seen[k]))
                {
                    Collect(rule, text, 0, text.Length, found);
                }
            }
            else if (hits.Windows[r] is { } windows)
            {
                foreach (var (start, end) in windows)
                {
                    if (found.Count >= MaxMatchesPerFile)
                    {
                        break;
                    }

                    Collect(rule, text, start, end - start, found);
                }
            }
        }

        return Deduplicate(text, found);
    }

    private static void Collect(SecretRule rule, string text, int start, int length, List<SecretMatch> found)
    {
        try
        {
            for (var m = rule.Pattern.Match(text, start, length); m.Success; m = m.NextMatch())
            {
                var g = m.Groups["secret"];
                if (!g.Success)
                {
                    continue;
                }

                var value = g.Value;
                if (IsAllowed(rule, value))
                {
                    continue;
                }

                found.Add(new SecretMatch(rule, 0, g.Index, g.Length, value));
                if (found.Count >= MaxMatchesPerFile)
                {
                    return;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Hostile or pathological input: this window is given up for this rule, the scan goes on.
        }
    }

    private static bool IsAllowed(SecretRule rule, string value)
    {
        if (KnownValues.IsAllowed(value) || rule.AllowValues.Any(a => a.IsMatch(value)))
        {
            return true;
        }

        if (rule.MinEntropy > 0 && Entropy.Shannon(value) < rule.MinEntropy)
        {
            return true;
        }

        return rule.Validate is { } validate && !validate(value);
    }

    /// <summary>
    /// One finding per value: a generic rule yields to a specific one on an overlapping value, and of two
    /// specific rules on the same value the first listed wins. Line numbers are computed here, once per match.
    /// </summary>
    private static List<SecretMatch> Deduplicate(string text, List<SecretMatch> found)
    {
        if (found.Count == 0)
        {
            return found;
        }

        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Rule.Generic.CompareTo(b.Rule.Generic));
        var kept = new List<SecretMatch>(found.Count);
        foreach (var m in found)
        {
            // Sorted by start, so only the last kept match can overlap this one.
            var overlaps = kept.Count > 0 && kept[^1].Start + kept[^1].Length > m.Start ? kept.Count - 1 : -1;
            if (overlaps >= 0)
            {
                var other = kept[overlaps];
                if (m.Rule.Generic || (!other.Rule.Generic && other.Start == m.Start && other.Length == m.Length))
                {
                    continue;
                }

                if (other.Rule.Generic)
                {
                    kept.RemoveAt(overlaps);
                }
            }

            kept.Add(m);
        }

        var line = 1;
        var counted = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            line += text.AsSpan(counted, kept[i].Start - counted).Count('\n');
            counted = kept[i].Start;
            kept[i] = kept[i] with { Line = line };
        }

        return kept;
    }

    /// <summary>Which keywords a file holds, and for each line-scoped rule the merged windows around them.</summary>
    private sealed class Hits(int keywords, int rules)
    {
        public bool[] Seen { get; } = new bool[keywords];

        public List<(int Start, int End)>?[] Windows { get; } = new List<(int, int)>?[rules];

        public void AddWindow(int rule, ReadOnlySpan<byte> text, int at)
        {
            var list = Windows[rule] ??= [];
            if (list.Count > 0 && at < list[^1].End)
            {
                return;
            }

            var backFrom = Math.Max(0, at - WindowBefore);
            var nl = text[backFrom..at].LastIndexOf((byte)'\n');
            var start = nl >= 0 ? backFrom + nl + 1 : backFrom;
            var forwardTo = Math.Min(text.Length, at + WindowAfter);
            var fwd = text[at..forwardTo].IndexOf((byte)'\n');
            var end = fwd >= 0 ? at + fwd : forwardTo;
            if (list.Count > 0 && start <= list[^1].End)
            {
                list[^1] = (list[^1].Start, Math.Max(list[^1].End, end));
            }
            else
            {
                list.Add((start, end));
            }
        }
    }
}

/// <summary>A match with its raw value. Internal: the value must never leave this assembly.</summary>
internal readonly record struct SecretMatch(SecretRule Rule, int Line, int Start, int Length, string Value);
