using Microsoft.Extensions.Time.Testing;
using Pipeline.TestKit;
using Pipeline.Vulnerabilities.Database;

namespace Pipeline.Vulnerabilities.Tests.Database;

/// <summary>The database compiled from testdata/osv (records written after real advisories), built once per test class.</summary>
public sealed class OsvTestDatabase : IDisposable
{
    public static readonly DateTimeOffset BuiltAt = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public OsvTestDatabase()
    {
        Path = System.IO.Path.Combine(TestPaths.NewTempDir("osv-db"), "pipeline.db");
        BuildResult = new DatabaseBuilder(new FakeTimeProvider(BuiltAt)).Build([SourceDirectory], Path);
        Database = VulnerabilityDatabase.Open(Path);
    }

    public static string SourceDirectory => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata", "osv");

    public string Path { get; }

    public DatabaseBuildResult BuildResult { get; }

    public VulnerabilityDatabase Database { get; }

    public void Dispose() => Database.Dispose();
}
