using Microsoft.Extensions.Options;
using Pipeline.Analysis.Merging;
using Pipeline.Core.Reports;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Engine;
using Pipeline.Functions.Storage;

namespace Pipeline.Functions.Handlers;

/// <summary>
/// The judgement of a merged image: the detectors of one database version, then the tenant's policy. The
/// aggregator judges a fresh inventory with it and the re-match a stored one, so both give the same report for
/// the same image and database.
/// </summary>
internal sealed class ImageJudge(IDetectorSource detectorSource, IPolicyEvaluator policy, IOptionsMonitor<PipelineOptions> options, TimeProvider time)
{
    /// <param name="databasePath">The local database file, or null when none is published (matching is skipped).</param>
    public async Task<ScanReport> JudgeAsync(ImageInventory inventory, string? databasePath, CancellationToken cancellationToken)
    {
        using var lease = await detectorSource.AcquireAsync(databasePath, cancellationToken);
        var report = await new ReportAssembler(lease.Detectors, time).AssembleAsync(inventory.Resolved, inventory.Name, inventory.Merged, inventory.Layers, cancellationToken);
        options.CurrentValue.Tenants.TryGetValue(inventory.Image.Tenant, out var tenant);
        return policy.Apply(report, tenant?.Policy, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }
}
