using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core.Model;
using Pipeline.Core.Reports;

namespace Pipeline.Reports;

/// <summary>
/// CycloneDX 1.6 JSON: the image as the metadata component, every package with its purl and the layer and
/// file it came from as properties, and the vulnerabilities with ratings, fixes and what they affect.
/// </summary>
public static class CycloneDxWriter
{
    public static JsonObject Create(ScanReport report)
    {
        var refs = new Dictionary<Package, string>(ReferenceEqualityComparer.Instance!);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var components = new JsonArray();
        foreach (var p in report.Packages)
        {
            var bomRef = BomRef(p, used);
            refs[p] = bomRef;
            var c = new JsonObject
            {
                ["bom-ref"] = bomRef,
                ["type"] = "library",
                ["name"] = p.Name,
                ["version"] = p.FullVersion,
            };
            if (p.Purl is not null)
            {
                c["purl"] = p.Purl;
            }

            if (p.Licenses is { Count: > 0 })
            {
                c["licenses"] = new JsonArray([.. p.Licenses.Select(l => (JsonNode)new JsonObject { ["license"] = new JsonObject { ["name"] = l } })]);
            }

            var props = new JsonArray(Prop("pipeline:package:type", p.Type), Prop("pipeline:path", p.Path));
            if (p.Layer is not null)
            {
                props.AddNode(Prop("pipeline:layer:digest", p.Layer));
            }

            if (p.SourceName is not null)
            {
                props.AddNode(Prop("pipeline:package:source-name", p.SourceName));
                props.AddNode(Prop("pipeline:package:source-version", p.SourceVersion ?? p.Version));
            }

            c["properties"] = props;
            components.AddNode(c);
        }

        if (report.Os is not null)
        {
            components.AddNode(new JsonObject
            {
                ["bom-ref"] = $"os:{report.Os.Family}@{report.Os.Version}",
                ["type"] = "operating-system",
                ["name"] = report.Os.Family,
                ["version"] = report.Os.Version,
            });
        }

        var byKey = report.Packages.GroupBy(p => (p.Name, p.FullVersion, p.Type)).ToDictionary(g => g.Key, g => g.ToList());
        var vulns = new JsonArray();
        foreach (var group in report.Vulnerabilities.GroupBy(v => v.Id))
        {
            var first = group.First();
            var affects = new JsonArray();
            foreach (var v in group)
            {
                var targets = byKey.TryGetValue((v.Package, v.InstalledVersion, v.PackageType), out var list) ? list : [];
                foreach (var p in targets.Where(p => v.Path is null || p.Path == v.Path))
                {
                    affects.AddNode(new JsonObject
                    {
                        ["ref"] = refs[p],
                        ["versions"] = new JsonArray(new JsonObject { ["version"] = v.InstalledVersion, ["status"] = "affected" }),
                    });
                }
            }

            var rating = new JsonObject { ["severity"] = first.Severity == Severity.Unknown ? "unknown" : first.Severity.ToString().ToLowerInvariant() };
            if (first.CvssScore is { } score)
            {
                rating["score"] = score;
                rating["method"] = first.SeveritySource == "cvss-v4" ? "CVSSv4" : "CVSSv31";
            }

            var fixes = group.Where(v => v.FixedVersion is not null).Select(v => $"Upgrade {v.Package} to {v.FixedVersion}").Distinct().ToList();
            var vuln = new JsonObject
            {
                ["bom-ref"] = "vuln:" + first.Id,
                ["id"] = first.Id,
                ["source"] = new JsonObject { ["name"] = SourceName(first.Id) },
                ["ratings"] = new JsonArray(rating),
                ["description"] = first.Title,
                ["affects"] = affects,
            };
            if (fixes.Count > 0)
            {
                vuln["recommendation"] = string.Join("; ", fixes);
            }

            if (first.References.Count > 0)
            {
                vuln["advisories"] = new JsonArray([.. first.References.Select(r => (JsonNode)new JsonObject { ["url"] = r })]);
            }

            if (first.Aliases.Count > 0)
            {
                vuln["references"] = new JsonArray([.. first.Aliases.Select(a => (JsonNode)new JsonObject { ["id"] = a, ["source"] = new JsonObject { ["name"] = SourceName(a) } })]);
            }

            vulns.AddNode(vuln);
        }

        var subject = new JsonObject
        {
            ["bom-ref"] = "artifact",
            ["type"] = report.Artifact.Type == "image" ? "container" : "application",
            ["name"] = report.Artifact.Name,
        };
        if (report.Artifact.Digest is not null)
        {
            subject["version"] = report.Artifact.Digest;
            subject["hashes"] = new JsonArray(new JsonObject { ["alg"] = "SHA-256", ["content"] = report.Artifact.Digest.Replace("sha256:", string.Empty, StringComparison.Ordinal) });
        }

        var bom = new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["serialNumber"] = "urn:uuid:" + DeterministicGuid(report),
            ["version"] = 1,
            ["metadata"] = new JsonObject
            {
                ["timestamp"] = report.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["tools"] = new JsonObject
                {
                    ["components"] = new JsonArray(new JsonObject { ["type"] = "application", ["name"] = "pipeline" }),
                },
                ["component"] = subject,
            },
            ["components"] = components,
            ["dependencies"] = new JsonArray(new JsonObject { ["ref"] = "artifact", ["dependsOn"] = new JsonArray([.. refs.Values.Select(r => (JsonNode)r!)]) }),
        };
        if (vulns.Count > 0)
        {
            bom["vulnerabilities"] = vulns;
        }

        return bom;
    }

    private static JsonObject Prop(string name, string value) => new() { ["name"] = name, ["value"] = value };

    /// <summary>The purl, made unique with the file path when one package sits in several places.</summary>
    private static string BomRef(Package p, HashSet<string> used)
    {
        var baseRef = p.Purl ?? $"{p.Type}:{p.Name}@{p.FullVersion}";
        var candidate = baseRef;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = $"{baseRef}#{p.Path}" + (i > 2 ? "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        }

        return candidate;
    }

    private static string SourceName(string id) => id switch
    {
        _ when id.StartsWith("CVE-", StringComparison.Ordinal) => "NVD",
        _ when id.StartsWith("GHSA-", StringComparison.Ordinal) => "GitHub",
        _ when id.StartsWith("DSA-", StringComparison.Ordinal) || id.StartsWith("DLA-", StringComparison.Ordinal) || id.StartsWith("DEBIAN-", StringComparison.Ordinal) => "Debian",
        _ => "OSV",
    };

    private static Guid DeterministicGuid(ScanReport r)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{r.Artifact.Name}|{r.Artifact.Digest}|{r.CreatedAt:O}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16));
    }
}
