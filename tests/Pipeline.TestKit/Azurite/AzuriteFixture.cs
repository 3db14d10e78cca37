using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.TestKit.Registry;
using Xunit;

namespace Pipeline.TestKit.Azurite;

/// <summary>
/// A real Azurite (blob, queue and table) on free loopback ports with its own temporary data directory,
/// started from the repository's <c>node_modules/.bin/azurite</c> (installed by <c>npm ci</c> from package.json,
/// pinned to 3.35.0, which runs on Node 20 with <c>--skipApiVersionCheck</c>). Use as an xunit class or
/// collection fixture; each fixture is one emulator, so tests isolate themselves with their own names.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The well-known Azurite development account key (public, documented by Microsoft).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _dataDir;

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    /// <summary>A full connection string for the devstoreaccount1 account on this instance.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;";

    /// <summary>The azurite launcher in the repository's node_modules.</summary>
    public static string Executable => Path.Combine(TestPaths.RepoRoot, "node_modules", ".bin", "azurite");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run `npm ci` in {TestPaths.RepoRoot} (package.json pins azurite 3.35.0).");
        }

        _dataDir = TestPaths.NewTempDir("azurite");

        // Free ports are picked before Azurite binds them, so another process can take one in between
        // (EADDRINUSE): start again on new ports rather than fail the test run.
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStartAsync())
            {
                return;
            }

            var output = Output;
            _process?.Dispose();
            _process = null;
            if (attempt >= 5 || !output.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Azurite did not start: {output}");
            }

            lock (_output)
            {
                _output.Clear();
            }
        }
    }

    private async Task<bool> TryStartAsync()
    {
        BlobPort = FreePort.Next();
        QueuePort = FreePort.Next();
        var tablePort = FreePort.Next();
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", _dataDir!, "--skipApiVersionCheck", "--loose", "--disableTelemetry",
        })
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start azurite.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            // Ready only when every service listens: Azurite exits as a whole when one port is taken.
            if (Output.Contains("Table service is successfully listening", StringComparison.Ordinal)
                && await CanConnectAsync(BlobPort) && await CanConnectAsync(QueuePort))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not start within 60 s: {Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>What Azurite printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        if (_dataDir is not null && Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }

        return Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
