using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core;
using Pipeline.Core.Findings;
using Pipeline.Core.Reports;

namespace Pipeline.Functions.Handlers;

/// <summary>What judging a stored image again changed in its report.</summary>
/// <param name="Changed">Whether anything but the creation time differs, so the report must be rewritten.</param>
/// <param name="New">Reported findings whose advisory and package the previous report did not hold, reported or suppressed.</param>
/// <param name="Resolved">Reported findings of the previous report that the new one holds neither reported nor suppressed.</param>
internal sealed record ReportChange(bool Changed, IReadOnlyList<VulnerabilityFinding> New, IReadOnlyList<VulnerabilityFinding> Resolved)
{
    public static ReportChange Between(ScanReport previous, ScanReport current)
    {
        var before = Keys(previous);
        var after = Keys(current);
        return new ReportChange(
            !SameContent(previous, current),
            [.. current.Vulnerabilities.Where(v => !before.Contains(Key(v)))],
            [.. previous.Vulnerabilities.Where(v => !after.Contains(Key(v)))]);
    }

    // An advisory and the package it affects: one advisory newly matching a second package of the image is a new
    // finding, while a finding the policy suppressed before (and reports now, say after its ignore expired) is not.
    private static (string Id, string Package) Key(VulnerabilityFinding v) => (v.Id, v.Package);

    private static HashSet<(string Id, string Package)> Keys(ScanReport report) =>
        [.. report.Vulnerabilities.Concat(report.Suppressed?.Vulnerabilities ?? []).Select(Key)];

    private static bool SameContent(ScanReport previous, ScanReport current) =>
        JsonNode.DeepEquals(WithoutCreationTime(previous), WithoutCreationTime(current));

    private static JsonNode WithoutCreationTime(ScanReport report)
    {
        var node = JsonSerializer.SerializeToNode(report, PipelineJson.Compact)!.AsObject();
        node.Remove("createdAt");
        return node;
    }
}
