using Pipeline.Analysis.Analyzers.Language.Rust;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Rust;

public sealed class CargoLockAnalyzerTests
{
    [Fact]
    public void Analyze_CargoLockV3_EveryPackage()
    {
        var facts = LanguageAnalyzerHarness.RunOne(new CargoLockAnalyzer(), "Cargo.lock", File.ReadAllBytes(LanguageAnalyzerHarness.TestData("rust", "Cargo.lock")));

        Assert.Equal(["cfg-if@1.0.0", "hello@0.1.0", "libc@0.2.150", "log@0.4.20"], facts.Packages().Ids());
        Assert.Equal("pkg:cargo/libc@0.2.150", facts.Packages().Single(p => p.Name == "libc").Purl);
    }
}
