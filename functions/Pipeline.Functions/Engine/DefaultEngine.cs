using Pipeline.Core.Reports;

namespace Pipeline.Functions.Engine;

/// <summary>No policy: the report is left as the detectors made it and carries no verdict.</summary>
internal sealed class NoPolicy : IPolicyEvaluator
{
    public void Apply(ScanReport report, string? policyYaml, DateOnly today)
    {
    }
}
