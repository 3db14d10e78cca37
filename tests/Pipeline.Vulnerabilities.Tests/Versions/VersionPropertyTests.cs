using CsCheck;
using Pipeline.Vulnerabilities.Versions;

namespace Pipeline.Vulnerabilities.Tests.Versions;

/// <summary>Every comparer is a total order on valid versions: reflexive, antisymmetric, transitive.</summary>
public sealed class VersionPropertyTests
{
    private static readonly Gen<string> Fragment = Gen.OneOf(
        "0", "1", "2", "10", "01", "a", "b", "rc", "alpha", "beta", "pre", "p", "dev", "post", "snapshot", "sp", "ga", "final", "x");

    private static readonly Gen<string> Separator = Gen.OneOf(".", ".", "-", "_", "~", "^", "+", "");

    // Shaped like real versions: a number first, then fragments joined by separators; invalid ones are filtered per ecosystem.
    private static readonly Gen<string> Version = Gen.Select(Gen.Int[0, 20], Gen.Select(Separator, Fragment).Array[0, 5])
        .Select((first, rest) => first + string.Concat(rest.Select(r => r.Item1 + r.Item2)));

    // Semantic versions for npm, crates.io and Go, which need all three numbers.
    private static readonly Gen<string> SemVersion = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3], Gen.OneOf("", "", "-alpha", "-alpha.1", "-beta.2", "-rc.1", "-1", "-0.3.7", "-x-y"), Gen.OneOf("", "", "+build.5"))
        .Select((a, b, c, pre, build) => $"{a}.{b}.{c}{pre}{build}");

    public static TheoryData<string> Ecosystems() =>
        ["Debian:12", "Rocky Linux:9", "Alpine:v3.20", "npm", "Go", "NuGet", "PyPI", "Maven", "RubyGems", "Packagist"];

    [Theory]
    [MemberData(nameof(Ecosystems))]
    public void Compare_RandomTriples_IsATotalOrder(string ecosystem)
    {
        var comparer = VersionComparers.ForEcosystem(ecosystem)!;
        var valid = ecosystem switch
        {
            "Go" => SemVersion.Select(v => "v" + v),
            "npm" => SemVersion,
            _ => Version.Where(comparer.IsValid),
        };
        Gen.Select(valid, valid, valid).Sample((a, b, c) =>
        {
            Assert.Equal(0, comparer.Compare(a, a));
            Assert.Equal(Math.Sign(comparer.Compare(a, b)), -Math.Sign(comparer.Compare(b, a)));
            if (comparer.Compare(a, b) <= 0 && comparer.Compare(b, c) <= 0)
            {
                Assert.True(comparer.Compare(a, c) <= 0, $"{a} <= {b} <= {c} but {a} > {c}");
            }
        }, iter: 2000);
    }
}
