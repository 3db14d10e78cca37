using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.TestKit;
using Pipeline.Vulnerabilities.Tests.Database;

namespace Pipeline.Vulnerabilities.Tests.Cli;

/// <summary>The <c>pipeline db</c> commands, invoked through System.CommandLine as the CLI will.</summary>
public sealed class DbCommandTests
{
    [Fact]
    public async Task Build_ThenInfo_PrintsMetadata()
    {
        var output = Path.Combine(TestPaths.NewTempDir("cli"), "db", "pipeline.db");

        var (code, stdout, stderr) = await RunAsync("build", "--from", OsvTestDatabase.SourceDirectory, "--output", output);
        Assert.Equal(0, code);
        Assert.Contains("10 advisories", stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stderr);

        (code, stdout, _) = await RunAsync("info", "--db", output);
        Assert.Equal(0, code);
        Assert.Contains("schema version: 2", stdout, StringComparison.Ordinal);
        Assert.Contains("advisories:     10", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Debian:12\s+3", stdout);
    }

    [Fact]
    public async Task Build_MalformedRecord_WarnsNamesFileAndSucceeds()
    {
        var dir = TestPaths.NewTempDir("cli-bad");
        File.WriteAllText(Path.Combine(dir, "broken.json"), "{ not json");
        var (code, stdout, stderr) = await RunAsync("build", "--from", dir, "--output", Path.Combine(dir, "db.sqlite"));

        Assert.Equal(0, code);
        Assert.Contains("warning: skipped malformed record", stderr, StringComparison.Ordinal);
        Assert.Contains("broken.json", stderr, StringComparison.Ordinal);
        Assert.Contains("1 malformed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_FromLocalServer_WritesDatabase()
    {
        using var server = new DatabaseUpdaterTests.ZipServer(new() { ["Go"] = "go" });
        var output = Path.Combine(TestPaths.NewTempDir("cli-update"), "pipeline.db");

        var (code, stdout, _) = await RunAsync("update", "--base-url", server.BaseUrl.AbsoluteUri, "--ecosystem", "Go", "--output", output);

        Assert.Equal(0, code);
        Assert.Contains("1 advisories in 1 ecosystems", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_Offline_NonZeroWithClearMessage()
    {
        var output = Path.Combine(TestPaths.NewTempDir("cli-offline"), "pipeline.db");
        File.WriteAllText(output, "previous");

        var (code, _, stderr) = await RunAsync("update", "--base-url", $"http://127.0.0.1:{DatabaseUpdaterTests.ClosedPort()}", "--ecosystem", "npm", "--output", output);

        Assert.Equal(1, code);
        Assert.Contains("error: Cannot download", stderr, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(output));
    }

    [Fact]
    public async Task Info_MissingDatabase_NonZeroNamesCommandsToBuildOne()
    {
        var (code, _, stderr) = await RunAsync("info", "--db", Path.Combine(TestPaths.NewTempDir(), "none.db"));

        Assert.Equal(1, code);
        Assert.Contains("pipeline db update", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DbCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
