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

    [Theory]
    [InlineData("0.9.0", false, null)]
    [InlineData("1.0.0", true, "1.4.2")]
    [InlineData("1.4.2", false, null)]
    [InlineData("2.0.0", true, null)]
    [InlineData("2.3.0", true, null)]
    [InlineData("2.3.1", false, null)]
    [InlineData("3.0.0", false, null)]
    public void FromStored_EncodedRanges_EvaluateAsTheOsvRanges(string version, bool affected, string? fix)
    {
        OsvRange[] osv =
        [
            new() { Type = "SEMVER", Events = [new() { Introduced = "1.0.0" }, new() { Fixed = "1.4.2" }] },
            new() { Type = "ECOSYSTEM", Events = [new() { Introduced = "2.0.0" }, new() { LastAffected = "2.3.0" }, new() { Limit = "2.9.0" }] },
            new() { Type = "GIT", Events = [new() { Introduced = "0" }] },
        ];

        var stored = AffectedRanges.Encode(osv);
        var decoded = AffectedRanges.FromStored(stored, null);

        Assert.Equal("S\ti1.0.0\tf1.4.2\nE\ti2.0.0\tl2.3.0\tm2.9.0", stored);
        Assert.Equal((affected, fix), decoded.Evaluate(version, SemVerComparerForTests));
        Assert.Equal(new AffectedRanges(osv, []).Evaluate(version, SemVerComparerForTests), decoded.Evaluate(version, SemVerComparerForTests));
    }

    [Fact]
    public void Evaluate_StoredVersionsList_MatchesWholeEntriesOnly()
    {
        var ranges = AffectedRanges.FromStored(null, AffectedRanges.EncodeVersions(["1.0.10", "2.0.0-beta.1"]));

        Assert.False(ranges.Evaluate("1.0.1", SemVerComparerForTests).Affected);
        Assert.False(ranges.Evaluate("0.10", SemVerComparerForTests).Affected);
        Assert.True(ranges.Evaluate("1.0.10", SemVerComparerForTests).Affected);
        Assert.True(ranges.Evaluate("2.0.0-beta.1", SemVerComparerForTests).Affected);
    }

    [Fact]
    public void Encode_VersionWithControlCharacter_RangeDroppedNotCorrupted()
    {
        OsvRange[] osv =
        [
            new() { Type = "ECOSYSTEM", Events = [new() { Introduced = "0" }, new() { Fixed = "1.0\n2.0" }] },
            new() { Type = "ECOSYSTEM", Events = [new() { Introduced = "0" }, new() { Fixed = "3.0.0" }] },
        ];

        var decoded = AffectedRanges.FromStored(AffectedRanges.Encode(osv), AffectedRanges.EncodeVersions(["1.2.3\t"]));

        Assert.Equal((true, "3.0.0"), decoded.Evaluate("2.5.0", SemVerComparerForTests));
        Assert.Null(AffectedRanges.Encode([osv[0]]));
        Assert.Null(AffectedRanges.EncodeVersions(["1.2.3\t"]));
    }

    private static IVersionComparer SemVerComparerForTests => VersionComparers.ForEcosystem("npm")!;
}
