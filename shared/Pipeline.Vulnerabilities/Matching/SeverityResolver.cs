using System.Collections.Concurrent;
using System.Text.Json;
using Pipeline.Core.Model;
using Pipeline.Vulnerabilities.Osv;

namespace Pipeline.Vulnerabilities.Matching;

/// <summary>
/// Picks one severity per finding, in this order: a CVSS v4.0 vector, else a CVSS v3 vector (per-package first,
/// then the advisory's, within each version), scored per its specification; else the ecosystem's own rating
/// (GitHub's <c>database_specific.severity</c>, Debian's urgency, Ubuntu's priority); else unknown.
/// </summary>
internal static class SeverityResolver
{
    /// <summary>Distinct inputs remembered: real databases repeat a few thousand vectors and ratings; hostile ones stay bounded.</summary>
    private const int MaxCached = 1 << 16;

    /// <summary>The CVSS versions scored, highest first: OSV's severity type, the source recorded on a finding, the scorer.</summary>
    private static readonly (string Type, string Source, Func<string, double?> Score)[] Scorers =
    [
        ("CVSS_V4", "cvss-v4", CvssV4.Score),
        ("CVSS_V3", "cvss-v3", CvssV3.BaseScore),
    ];

    private static readonly ConcurrentDictionary<(string?, string?, string?, string?), (Severity, string, double?)> Cache = new();

    /// <summary>
    /// <see cref="Resolve(IReadOnlyList{OsvSeverity}, string?, IReadOnlyList{OsvSeverity}, string?)"/> on the stored
    /// forms (JSON arrays of vectors), remembered per distinct input: thousands of findings share a handful of vectors.
    /// </summary>
    public static (Severity Severity, string Source, double? Score) Resolve(string? packageVectorsJson, string? packageRating, string? advisoryVectorsJson, string? advisoryRating)
    {
        var key = (packageVectorsJson, packageRating, advisoryVectorsJson, advisoryRating);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var resolved = Resolve(Parse(packageVectorsJson), packageRating, Parse(advisoryVectorsJson), advisoryRating);
        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd(key, resolved);
        }

        return resolved;
    }

    public static (Severity Severity, string Source, double? Score) Resolve(
        IReadOnlyList<OsvSeverity> packageVectors, string? packageRating, IReadOnlyList<OsvSeverity> advisoryVectors, string? advisoryRating)
    {
        var vectors = packageVectors.Concat(advisoryVectors).ToList();

        // The highest CVSS version present wins, as NVD and Trivy prefer v4.0 to v3.x; a vector that does not
        // parse is passed over for the next one.
        foreach (var (type, source, scorer) in Scorers)
        {
            foreach (var v in vectors.Where(v => v.Type == type && v.Score is not null))
            {
                if (scorer(v.Score!) is { } score)
                {
                    return (CvssV3.Rating(score), source, score);
                }
            }
        }

        foreach (var rating in new[] { packageRating, advisoryRating }.Concat(vectors.Where(v => v.Type is "Ubuntu").Select(v => v.Score)))
        {
            if (EcosystemRating(rating) is { } severity)
            {
                return (severity, "ecosystem", null);
            }
        }

        return (Severity.Unknown, "none", null);
    }

    /// <summary>
    /// Maps the ratings ecosystems write: GitHub's LOW/MODERATE/HIGH/CRITICAL, Debian's urgencies
    /// (unimportant, low, medium, high; "not yet assigned" stays unknown), Ubuntu's priorities (negligible,
    /// low, medium, high, critical), Red Hat's Low/Moderate/Important/Critical.
    /// </summary>
    internal static Severity? EcosystemRating(string? rating)
    {
        if (string.IsNullOrWhiteSpace(rating))
        {
            return null;
        }

        var r = rating.Trim().ToUpperInvariant();

        // Debian urgencies may carry a marker: "low**" (the urgency was set by the security team's guess).
        r = r.TrimEnd('*', '!');
        return r switch
        {
            "UNIMPORTANT" or "NEGLIGIBLE" => Severity.Low,
            "NOT YET ASSIGNED" or "UNTRIAGED" or "UNKNOWN" => null,
            _ => SeverityNames.TryParse(r, out var s) && s != Severity.Unknown ? s : null,
        };
    }

    internal static List<OsvSeverity> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, OsvJsonContext.Default.ListOsvSeverity) ?? [];
}
