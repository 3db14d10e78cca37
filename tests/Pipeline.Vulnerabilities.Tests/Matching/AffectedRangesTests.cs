using Pipeline.Vulnerabilities.Matching;
using Pipeline.Vulnerabilities.Osv;
using Pipeline.Vulnerabilities.Versions;

namespace Pipeline.Vulnerabilities.Tests.Matching;

/// <summary>The OSV schema's range evaluation rules (ossf/osv-schema, "Evaluation").</summary>
public sealed class AffectedRangesTests
{
    private static readonly IVersionComparer Semver = VersionComparers.SemVer;

    [Theory]
    [InlineData("0.9.0", false)]
    [InlineData("1.0.0", true)]
    [InlineData("1.4.9", true)]
    [InlineData("1.5.0", false)]
    [InlineData("1.9.0", false)]
    [InlineData("2.0.0", true)]
    [InlineData("2.5.0", false)]
    public void InRange_UnsortedEvents_SortedBeforeEvaluation(string version, bool affected)
    {
        OsvEvent[] events = [new() { Fixed = "2.5.0" }, new() { Introduced = "2.0.0" }, new() { Fixed = "1.5.0" }, new() { Introduced = "1.0.0" }];
        Assert.Equal(affected, AffectedRanges.InRange(version, events, Semver));
    }

    [Theory]
    [InlineData("1.2.0", true)]
    [InlineData("1.2.1", false)]
    public void InRange_LastAffected_IncludesThatVersionOnly(string version, bool affected)
    {
        OsvEvent[] events = [new() { Introduced = "0" }, new() { LastAffected = "1.2.0" }];
        Assert.Equal(affected, AffectedRanges.InRange(version, events, Semver));
    }

    [Theory]
    [InlineData("1.9.9", true)]
    [InlineData("2.0.0", false)]
    public void InRange_Limit_VersionsAtOrPastItExcluded(string version, bool affected)
    {
        OsvEvent[] events = [new() { Introduced = "1.0.0" }, new() { Limit = "2.0.0" }];
        Assert.Equal(affected, AffectedRanges.InRange(version, events, Semver));
    }

    [Fact]
    public void Evaluate_ExplicitVersionsList_AffectedWithoutRanges()
    {
        var ranges = new AffectedRanges([], ["1.0.1", "1.0.3"]);
        Assert.True(ranges.Evaluate("1.0.3", Semver).Affected);
        Assert.False(ranges.Evaluate("1.0.2", Semver).Affected);
    }

    [Fact]
    public void Evaluate_RangeWithUnparsableVersion_SkippedNotGuessed()
    {
        var ranges = new AffectedRanges([new OsvRange { Type = "ECOSYSTEM", Events = [new() { Introduced = "0" }, new() { Fixed = "not a version" }] }], []);
        Assert.False(ranges.Evaluate("1.0.0", SemVerComparerForTests).Affected);
    }

    [Fact]
    public void Evaluate_SeveralFixes_SmallestAboveInstalled()
    {
        var ranges = new AffectedRanges(
            [
                new OsvRange { Type = "ECOSYSTEM", Events = [new() { Introduced = "0" }, new() { Fixed = "3.0.0" }] },
                new OsvRange { Type = "ECOSYSTEM", Events = [new() { Introduced = "1.0.0" }, new() { Fixed = "1.2.0" }] },
            ],
            []);
        Assert.Equal((true, "1.2.0"), ranges.Evaluate("1.1.0", SemVerComparerForTests));
        Assert.Equal((true, "3.0.0"), ranges.Evaluate("1.5.0", SemVerComparerForTests));
    }

    private static IVersionComparer SemVerComparerForTests => VersionComparers.ForEcosystem("npm")!;
}
