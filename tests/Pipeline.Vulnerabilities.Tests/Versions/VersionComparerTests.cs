using Pipeline.Vulnerabilities.Versions;

namespace Pipeline.Vulnerabilities.Tests.Versions;

/// <summary>Orderings assembled from each reference implementation's tests (testdata/versions/*.txt, sources cited there).</summary>
public sealed class VersionComparerTests
{
    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        var files = new Dictionary<string, string>
        {
            ["dpkg.txt"] = "Debian:12",
            ["rpm.txt"] = "Rocky Linux:9",
            ["apk.txt"] = "Alpine:v3.20",
            ["semver.txt"] = "npm",
            ["go.txt"] = "Go",
            ["nuget.txt"] = "NuGet",
            ["pep440.txt"] = "PyPI",
            ["maven.txt"] = "Maven",
            ["rubygems.txt"] = "RubyGems",
            ["composer.txt"] = "Packagist",
        };
        foreach (var (file, ecosystem) in files)
        {
            foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "versions", file)))
            {
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                data.Add(ecosystem, parts[0], parts[1], parts[2]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compare_ReferenceCase_OrdersAsReference(string ecosystem, string a, string op, string b)
    {
        var comparer = VersionComparers.ForEcosystem(ecosystem)!;
        Assert.True(comparer.IsValid(a), $"{a} should be valid");
        Assert.True(comparer.IsValid(b), $"{b} should be valid");
        var expected = op switch { "<" => -1, "=" => 0, ">" => 1, _ => throw new InvalidDataException(op) };
        Assert.Equal(expected, Math.Sign(comparer.Compare(a, b)));
        Assert.Equal(-expected, Math.Sign(comparer.Compare(b, a)));
    }

    [Theory]
    [InlineData("npm", "1.2")]
    [InlineData("npm", "01.2.3")]
    [InlineData("PyPI", "1.0-beta-gamma")]
    [InlineData("Alpine:v3.20", "1.0-x")]
    [InlineData("Alpine:v3.20", "abc")]
    [InlineData("Alpine:v3.20", "1.0_foo")]
    [InlineData("NuGet", "not-a-version")]
    [InlineData("Debian:12", "")]
    [InlineData("Debian:12", "a:1.0")]
    public void IsValid_Malformed_False(string ecosystem, string version)
    {
        var comparer = VersionComparers.ForEcosystem(ecosystem)!;
        Assert.False(comparer.IsValid(version));
        Assert.Throws<FormatException>(() => comparer.Compare(version, version));
    }

    [Theory]
    [InlineData("Debian:12", "Dpkg")]
    [InlineData("Ubuntu:22.04:LTS", "Dpkg")]
    [InlineData("Alpine:v3.19", "Apk")]
    [InlineData("Red Hat:enterprise_linux:9::appstream", "Rpm")]
    [InlineData("AlmaLinux:9", "Rpm")]
    [InlineData("crates.io", "SemVer")]
    [InlineData("Go", "GoVersion")]
    [InlineData("Packagist", "Composer")]
    public void ForEcosystem_KnownEcosystem_PicksItsComparer(string ecosystem, string kind)
    {
        Assert.StartsWith(kind, VersionComparers.ForEcosystem(ecosystem)!.GetType().Name, StringComparison.Ordinal);
    }

    [Fact]
    public void ForEcosystem_Unknown_Null()
    {
        Assert.Null(VersionComparers.ForEcosystem("Hackage"));
    }
}
