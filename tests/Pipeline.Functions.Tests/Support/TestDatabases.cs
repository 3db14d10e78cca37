using Microsoft.Extensions.Time.Testing;
using Pipeline.TestKit;
using Pipeline.Vulnerabilities.Database;

namespace Pipeline.Functions.Tests.Support;

/// <summary>Real vulnerability databases compiled from the OSV records in testdata/rematch (see its README).</summary>
internal static class TestDatabases
{
    /// <summary>Compiles the named testdata/rematch folders into <c>{work}/{name}/pipeline.db</c> once; returns the path.</summary>
    public static string Build(string work, string name, params string[] sources)
    {
        var path = Path.Combine(work, name, "pipeline.db");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var folders = sources.Select(s => Path.Combine(TestPaths.RepoRoot, "tests", "Pipeline.Functions.Tests", "testdata", "rematch", s)).ToList();
            new DatabaseBuilder(new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero))).Build(folders, path);
        }

        return path;
    }
}
