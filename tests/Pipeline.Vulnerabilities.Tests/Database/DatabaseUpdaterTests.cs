using System.IO.Compression;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pipeline.TestKit;
using Pipeline.TestKit.Http;
using Pipeline.Vulnerabilities.Database;

namespace Pipeline.Vulnerabilities.Tests.Database;

/// <summary>Updates against a real HTTP server on 127.0.0.1 serving zips built from testdata, and against a closed port.</summary>
public sealed class DatabaseUpdaterTests
{
    [Fact]
    public async Task UpdateAsync_ServedZips_BuildsFromEveryEcosystem()
    {
        using var server = new ZipServer(new() { ["npm"] = "npm", ["PyPI"] = "pypi" });
        var output = Path.Combine(TestPaths.NewTempDir("update"), "pipeline.db");
        using var http = new HttpClient();

        var result = await new DatabaseUpdater(http, new DatabaseBuilder(new FakeTimeProvider(DateTimeOffset.UnixEpoch))).UpdateAsync(server.BaseUrl, ["npm", "PyPI"], output);

        Assert.Equal(4, result.Metadata.Advisories);
        Assert.Equal([server.BaseUrl + "npm/all.zip", server.BaseUrl + "PyPI/all.zip"], result.Metadata.Sources);
        using var db = VulnerabilityDatabase.Open(output);
        Assert.Equal(2, db.Metadata.Ecosystems["npm"]);
        Assert.Equal(["pipeline.db"], Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task UpdateAsync_OneEcosystemMissing_FailsAndKeepsPreviousDatabase()
    {
        using var server = new ZipServer(new() { ["npm"] = "npm" });
        var output = Path.Combine(TestPaths.NewTempDir("update"), "pipeline.db");
        File.WriteAllText(output, "previous database");
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<DatabaseUpdateException>(() =>
            new DatabaseUpdater(http, new DatabaseBuilder(TimeProvider.System)).UpdateAsync(server.BaseUrl, ["npm", "Maven"], output));

        Assert.Contains("HTTP 404", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Maven/all.zip", ex.Message, StringComparison.Ordinal);
        Assert.Equal("previous database", File.ReadAllText(output));
        Assert.Equal(["pipeline.db"], Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task UpdateAsync_ClosedPort_OfflineMessageAndPreviousDatabaseKept()
    {
        var output = Path.Combine(TestPaths.NewTempDir("update"), "pipeline.db");
        File.WriteAllText(output, "previous database");
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<DatabaseUpdateException>(() =>
            new DatabaseUpdater(http, new DatabaseBuilder(TimeProvider.System)).UpdateAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/"), ["npm"], output));

        Assert.Contains("Cannot download", ex.Message, StringComparison.Ordinal);
        Assert.Contains("offline", ex.Message, StringComparison.Ordinal);
        Assert.Equal("previous database", File.ReadAllText(output));
    }

    /// <summary>A port where nothing listens (see <see cref="Pipeline.TestKit.Registry.FreePort"/>).</summary>
    internal static int ClosedPort() => Pipeline.TestKit.Registry.FreePort.Next();

    /// <summary>Serves <c>/{Ecosystem}/all.zip</c>, each zipped from one testdata/osv folder; 404 for anything else.</summary>
    internal sealed class ZipServer : IDisposable
    {
        private readonly Dictionary<string, byte[]> zips = new(StringComparer.Ordinal);
        private readonly LoopbackHttpServer server;

        public ZipServer(Dictionary<string, string> folders)
        {
            foreach (var (ecosystem, folder) in folders)
            {
                using var buffer = new MemoryStream();
                using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var file in Directory.GetFiles(Path.Combine(OsvTestDatabase.SourceDirectory, folder)))
                    {
                        archive.CreateEntryFromFile(file, Path.GetFileName(file));
                    }
                }

                zips["/" + ecosystem + "/all.zip"] = buffer.ToArray();
            }

            server = new LoopbackHttpServer(ServeAsync);
        }

        public Uri BaseUrl => server.BaseUrl;

        public void Dispose() => server.Dispose();

        private async Task ServeAsync(HttpListenerContext context)
        {
            var response = context.Response;
            if (zips.TryGetValue(Uri.UnescapeDataString(context.Request.Url!.AbsolutePath), out var body))
            {
                response.ContentType = "application/zip";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }
}
