using Pipeline.TestKit;

namespace Pipeline.Secrets.Tests.Scanning;

/// <summary>
/// This project's own sources hold rules and test data shaped like secrets. Test values are built at run time
/// (see <see cref="Fake"/>), so the sources themselves must come out clean, or GitHub push protection and
/// every other scanner would flag the repository.
/// </summary>
public sealed class RepositorySourcesTests
{
    [Theory]
    [InlineData("shared/Pipeline.Secrets")]
    [InlineData("tests/Pipeline.Secrets.Tests")]
    [InlineData("tests/Pipeline.Benchmarks/Secrets")]
    public void Scan_OwnSources_FindsNoSecret(string folder)
    {
        var root = Path.Combine(TestPaths.RepoRoot, folder);
        var sources = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .ToList();

        var findings = sources.SelectMany(p => Fake.Scanner.Scan(Path.GetRelativePath(TestPaths.RepoRoot, p), File.ReadAllBytes(p))).ToList();

        Assert.NotEmpty(sources);
        Assert.True(findings.Count == 0, string.Join('\n', findings.Select(f => $"{f.RuleId} {f.Path}:{f.Line} {f.Preview}")));
    }
}
