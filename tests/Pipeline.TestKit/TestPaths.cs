namespace Pipeline.TestKit;

/// <summary>Where tests keep fixtures that are slow to make (a debootstrap root) across test runs.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the directory holding Pipeline.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>$PIPELINE_TEST_CACHE</c>, or <c>.cache/test</c> under the repository root.</summary>
    public static string Cache { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("PIPELINE_TEST_CACHE") is { Length: > 0 } c ? c : Path.Combine(RepoRoot, ".cache", "test")).FullName;

    /// <summary>A fresh directory for one test, under the system temp directory.</summary>
    public static string NewTempDir(string prefix = "pipeline-test")
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Pipeline.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
