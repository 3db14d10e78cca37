using System.IO.Compression;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.TestKit;
using Pipeline.Vulnerabilities.Database;

namespace Pipeline.Vulnerabilities.Tests.Database;

public sealed class DatabaseBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_TestdataDirectory_MetadataCountsPerEcosystem()
    {
        using var fixture = new OsvTestDatabase();

        var m = fixture.Database.Metadata;

        Assert.Equal(2, m.SchemaVersion);
        Assert.Equal(OsvTestDatabase.BuiltAt, m.BuiltAt);
        Assert.Equal(10, m.Advisories);
        Assert.Equal(0, m.Malformed);
        Assert.Equal(2, m.Ecosystems["Debian:11"]); // zlib and apt list bullseye too
        Assert.Equal(3, m.Ecosystems["Debian:12"]);
        Assert.Equal(1, m.Ecosystems["Alpine:v3.19"]);
        Assert.Equal(2, m.Ecosystems["npm"]);
        Assert.Equal(2, m.Ecosystems["PyPI"]);
        Assert.Equal([OsvTestDatabase.SourceDirectory], m.Sources);
    }

    [Fact]
    public void Build_MalformedAndWithdrawnRecords_SkippedCountedAndNamed()
    {
        var dir = TestPaths.NewTempDir("osv-bad");
        File.Copy(Path.Combine(OsvTestDatabase.SourceDirectory, "npm", "GHSA-35jh-r3h4-6jhm.json"), Path.Combine(dir, "good.json"));
        File.WriteAllText(Path.Combine(dir, "truncated.json"), "{\"id\": \"GHSA-xxxx\", \"affected\": [");
        File.WriteAllText(Path.Combine(dir, "noid.json"), "{\"summary\": \"no id\"}");
        File.WriteAllText(Path.Combine(dir, "array.json"), "[1, 2]");
        File.WriteAllText(Path.Combine(dir, "wrongtype.json"), "{\"id\": \"X-1\", \"aliases\": \"not-a-list\"}");
        File.WriteAllText(Path.Combine(dir, "withdrawn.json"), "{\"id\": \"GHSA-gone\", \"withdrawn\": \"2024-01-01T00:00:00Z\", \"affected\": []}");
        var output = Path.Combine(dir, "out", "db.sqlite");

        var result = new DatabaseBuilder(new FakeTimeProvider(Now)).Build([dir], output);

        Assert.Equal(1, result.Metadata.Advisories);
        Assert.Equal(4, result.Metadata.Malformed);
        Assert.Equal(1, result.Metadata.Withdrawn);
        Assert.Equal(4, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.Contains("truncated.json", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("noid.json", StringComparison.Ordinal) && w.Contains("no id", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("array.json", StringComparison.Ordinal) && w.Contains("not a JSON object", StringComparison.Ordinal));
        using var db = VulnerabilityDatabase.Open(output);
        Assert.Equal(4, db.Metadata.Malformed);
        Assert.Equal(Now, db.Metadata.BuiltAt);
    }

    [Fact]
    public void Build_OsvZipAndDuplicateDirectory_ReadsZipEntriesAndKeepsFirstCopy()
    {
        var dir = TestPaths.NewTempDir("osv-zip");
        var zip = Path.Combine(dir, "all.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var file in Directory.GetFiles(Path.Combine(OsvTestDatabase.SourceDirectory, "maven")).Concat(Directory.GetFiles(Path.Combine(OsvTestDatabase.SourceDirectory, "go"))))
            {
                archive.CreateEntryFromFile(file, Path.GetFileName(file));
            }
        }

        var output = Path.Combine(dir, "db.sqlite");
        var result = new DatabaseBuilder(new FakeTimeProvider(Now)).Build([zip, Path.Combine(OsvTestDatabase.SourceDirectory, "maven")], output);

        Assert.Equal(2, result.Metadata.Advisories);
        Assert.Equal(1, result.Metadata.Duplicates);
        Assert.Equal(1, result.Metadata.Ecosystems["Maven"]);
        Assert.Equal(1, result.Metadata.Ecosystems["Go"]);
    }

    [Fact]
    public void Build_Output_HasAffectedIndexOnEcosystemAndName()
    {
        using var fixture = new OsvTestDatabase();
        using var connection = new SqliteConnection($"Data Source={fixture.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM affected WHERE ecosystem = 'npm' AND name = 'lodash'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Contains("affected_ecosystem_name", reader.GetString(3), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingSource_ThrowsAndLeavesExistingDatabase()
    {
        var dir = TestPaths.NewTempDir("osv-missing");
        var output = Path.Combine(dir, "db.sqlite");
        File.WriteAllText(output, "previous");

        Assert.Throws<FileNotFoundException>(() => new DatabaseBuilder(TimeProvider.System).Build([Path.Combine(dir, "nope")], output));

        Assert.Equal("previous", File.ReadAllText(output));
        Assert.Equal([output], Directory.GetFiles(dir));
    }

    [Fact]
    public void Open_NotADatabase_ClearError()
    {
        var file = Path.Combine(TestPaths.NewTempDir(), "junk.db");
        File.WriteAllText(file, "this is not sqlite");

        var ex = Assert.Throws<InvalidDataException>(() => VulnerabilityDatabase.Open(file));
        Assert.Contains("not a pipeline vulnerability database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OlderSchemaVersion_ClearErrorNamingTheRebuildCommands()
    {
        var file = Path.Combine(TestPaths.NewTempDir("osv-old"), "old.db");
        new DatabaseBuilder(new FakeTimeProvider(Now)).Build([OsvTestDatabase.SourceDirectory], file);
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE metadata SET value = '1' WHERE key = 'schema_version'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var ex = Assert.Throws<InvalidDataException>(() => VulnerabilityDatabase.Open(file));

        Assert.Contains("schema version 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'pipeline db build'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'pipeline db update'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultLocation_ResolutionOrder()
    {
        Assert.Equal("/x/p.db", DatabaseLocation.Resolve(n => n == "PIPELINE_DB" ? "/x/p.db" : "/ignored"));
        Assert.Equal("/xdg/pipeline/db/pipeline.db", DatabaseLocation.Resolve(n => n switch { "XDG_CACHE_HOME" => "/xdg", "HOME" => "/home/u", _ => null }));
        Assert.Equal("/home/u/.cache/pipeline/db/pipeline.db", DatabaseLocation.Resolve(n => n == "HOME" ? "/home/u" : null));
    }
}
