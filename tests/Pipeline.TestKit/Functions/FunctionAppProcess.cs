using System.Diagnostics;
using System.Text;

namespace Pipeline.TestKit.Functions;

/// <summary>
/// The function app (<c>Pipeline.Functions.dll</c>, standalone: Kestrel plus its own queue listeners) as a separate
/// OS process on 127.0.0.1, configured through environment variables as a deployment would be
/// (<c>Pipeline:QueueLease</c> becomes <c>Pipeline__QueueLease</c>). Its output is kept for assertions;
/// <see cref="Kill"/> ends it and its children at once, the way a crashed or evicted worker ends.
/// <code>
/// using var app = new FunctionAppProcess(FunctionAppProcess.BesideThisAssembly, port, settings);
/// await app.StartAsync();          // ready when GET / answers
/// app.Kill();
/// </code>
/// </summary>
public sealed class FunctionAppProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string _assembly;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private Process? _process;

    /// <param name="assembly">Path of <c>Pipeline.Functions.dll</c> (its deps.json and runtimeconfig.json beside it).</param>
    /// <param name="port">The HTTP port on 127.0.0.1 (the ingress is <c>/api/ingress/…</c> there).</param>
    /// <param name="settings">Configuration keys (<c>Section:Key</c>) and values.</param>
    public FunctionAppProcess(string assembly, int port, IReadOnlyDictionary<string, string> settings)
    {
        _assembly = assembly;
        Port = port;
        _settings = settings;
    }

    /// <summary>The app as a project reference copies it next to the referencing test or benchmark assembly.</summary>
    public static string BesideThisAssembly => Path.Combine(AppContext.BaseDirectory, "Pipeline.Functions.dll");

    public int Port { get; }

    /// <summary>The OS process id, once started.</summary>
    public int Id => _process?.Id ?? 0;

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Everything the app printed so far (standard output and error).</summary>
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

    /// <summary>Starts the process and waits until it answers <c>GET /</c>; throws with its output when it exits first.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (!File.Exists(_assembly))
        {
            throw new FileNotFoundException($"{_assembly} is missing: build the function app first.", _assembly);
        }

        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_assembly)!,
        };
        psi.ArgumentList.Add(_assembly);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        foreach (var (key, value) in _settings)
        {
            psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the function app.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The function app exited with {_process.ExitCode} before it was ready: {Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The function app did not answer on port {Port}: {Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; throws with the output after <paramref name="timeout"/> or when the process exits.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The function app did not print \"{text}\": {Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the process tree at once (no graceful shutdown: messages in work stay leased) and waits for it to end.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
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
}
