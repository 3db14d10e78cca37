using System.Collections.Concurrent;
using Pipeline.Core.Reports;
using Pipeline.Policy;

namespace Pipeline.Functions.Engine;

/// <summary>
/// The tenant's policy through shared/Pipeline.Policy (severity filter, ignores, VEX, fail threshold). Without a
/// policy document the default <see cref="ScanPolicy"/> applies: every finding is reported and any one fails.
/// </summary>
internal sealed class PolicyEvaluator : IPolicyEvaluator
{
    private readonly ConcurrentDictionary<string, ScanPolicy> _parsed = new(StringComparer.Ordinal);

    public ScanReport Apply(ScanReport report, string? policyYaml, DateOnly today)
    {
        var policy = policyYaml is null ? new ScanPolicy() : _parsed.GetOrAdd(policyYaml, y => PolicyDocument.Load(y, "tenant policy").Policy);
        return policy.Apply(report, today);
    }
}
