using System.Diagnostics;
using System.Text;
using Xunit;

namespace Pipeline.TestKit.Registry;

/// <summary>How a <see cref="RegistryFixture"/> authenticates clients.</summary>
public enum RegistryAuthMode
{
    /// <summary>No authentication.</summary>
    Anonymous,

    /// <summary>HTTP Basic against an htpasswd file (bcrypt, made with <c>htpasswd -Bbn</c>).</summary>
    Basic,

    /// <summary>Docker token auth through the fixture's own <see cref="TokenServer"/>.</summary>
    Token,
}

/// <summary>
/// A real CNCF distribution registry (Debian's <c>/usr/bin/docker-registry</c>) on a free 127.0.0.1 port with
/// filesystem storage in a temp directory. Use it as an xunit class fixture (the subclasses
/// <see cref="AnonymousRegistryFixture"/>, <see cref="BasicAuthRegistryFixture"/> and <see cref="TokenAuthRegistryFixture"/> pick the auth mode) or
/// create one with options and call <see cref="Start"/>. Disposing kills the process and deletes its storage.
/// <code>
/// using var registry = new RegistryFixture(RegistryAuthMode.Basic).Start();
/// var reference = await registry.PushAsync(image.LayoutDir, image.Tag, "team/app");  // "127.0.0.1:PORT/team/app:TAG"
/// </code>
/// </summary>
public class RegistryFixture : IAsyncLifetime, IDisposable
{
    private const string PortPlaceholder = "{{PORT}}";

    private readonly StringBuilder log = new();
    private Process? process;
    private TokenServer? tokenServer;
    private bool disposed;

    /// <param name="mode">How clients authenticate.</param>
    /// <param name="notificationUrl">When set, the registry POSTs its push/pull event envelopes there.</param>
    /// <param name="notificationHeaders">Headers sent with each notification (for example a shared secret).</param>
    public RegistryFixture(RegistryAuthMode mode, string? notificationUrl = null, IDictionary<string, string>? notificationHeaders = null)
    {
        Mode = mode;
        NotificationUrl = notificationUrl;
        NotificationHeaders = notificationHeaders ?? new Dictionary<string, string>();
        Directory = TestPaths.NewTempDir("registry");
        StorageDir = Path.Combine(Directory, "storage");
    }

    public RegistryAuthMode Mode { get; }

    public string? NotificationUrl { get; }

    public IDictionary<string, string> NotificationHeaders { get; }

    /// <summary>The user that Basic and Token modes accept.</summary>
    public string Username { get; } = "pipeline";

    /// <summary>The password that Basic and Token modes accept.</summary>
    public string Password { get; } = "s3cret-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The port, known after <see cref="Start"/>.</summary>
    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The registry's filesystem storage root (<c>docker/registry/v2/...</c> under it).</summary>
    public string StorageDir { get; }

    /// <summary>The fixture's temp directory (config, htpasswd, certificate, storage).</summary>
    public string Directory { get; }

    /// <summary>The token server in <see cref="RegistryAuthMode.Token"/> mode, else null.</summary>
    public TokenServer? TokenServer => tokenServer;

    /// <summary>What the registry process printed, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Starts the registry and waits until <c>/v2/</c> answers; returns this.</summary>
    public RegistryFixture Start()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (process is not null)
        {
            return this;
        }

        System.IO.Directory.CreateDirectory(StorageDir);
        var config = new StringBuilder();
        config.AppendLine("version: 0.1");
        config.AppendLine("log:\n  level: info\n  accesslog:\n    disabled: true");
        config.AppendLine($"storage:\n  filesystem:\n    rootdirectory: {StorageDir}\n  delete:\n    enabled: true\n  cache:\n    blobdescriptor: inmemory");
        config.AppendLine($"http:\n  addr: 127.0.0.1:{PortPlaceholder}\n  secret: {Guid.NewGuid():N}");
        switch (Mode)
        {
            case RegistryAuthMode.Basic:
                var htpasswd = Path.Combine(Directory, "htpasswd");
                File.WriteAllText(htpasswd, Tool.Run("htpasswd", ["-Bbn", Username, Password]));
                config.AppendLine($"auth:\n  htpasswd:\n    realm: pipeline-test\n    path: {htpasswd}");
                break;
            case RegistryAuthMode.Token:
                tokenServer = new TokenServer("pipeline-test-registry", "pipeline-test-issuer", Username, Password);
                var bundle = Path.Combine(Directory, "token-ca.pem");
                File.WriteAllText(bundle, tokenServer.CertificatePem);
                config.AppendLine($"auth:\n  token:\n    realm: {tokenServer.Realm}\n    service: {tokenServer.Service}\n    issuer: {tokenServer.Issuer}\n    rootcertbundle: {bundle}");
                break;
        }

        if (NotificationUrl is not null)
        {
            config.AppendLine($"notifications:\n  endpoints:\n    - name: pipeline-test\n      url: {NotificationUrl}\n      timeout: 2s\n      threshold: 5\n      backoff: 1s");
            if (NotificationHeaders.Count > 0)
            {
                config.AppendLine("      headers:");
                foreach (var (k, v) in NotificationHeaders)
                {
                    config.AppendLine($"        {k}: [\"{v}\"]");
                }
            }
        }

        // A free port is picked before the registry binds it, so another process can take it in between:
        // start again on a new port when the registry says the address is in use.
        var configPath = Path.Combine(Directory, "config.yml");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            File.WriteAllText(configPath, config.ToString().Replace(PortPlaceholder, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            var psi = new ProcessStartInfo("/usr/bin/docker-registry")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("serve");
            psi.ArgumentList.Add(configPath);
            process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start docker-registry.");
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (WaitUntilReady())
            {
                return this;
            }

            var output = Log;
            process.Dispose();
            process = null;
            if (attempt >= 5 || !output.Contains("address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"docker-registry did not start: {output}");
            }

            lock (log)
            {
                log.Clear();
            }
        }
    }

    /// <summary>
    /// Pushes <c>oci:LAYOUT:TAG</c> to <c>REPOSITORY:TAG</c> here with <c>skopeo copy</c> and returns the
    /// reference (<c>127.0.0.1:PORT/REPOSITORY:TAG</c>). <paramref name="dockerV2"/> converts to Docker schema 2
    /// manifests; an index (from <c>OciImageBuilder.CreateIndex</c>) is pushed with all its platforms.
    /// </summary>
    public Task<string> PushAsync(string layoutDir, string tag, string repository, bool dockerV2 = false, CancellationToken cancellationToken = default) =>
        PushToAsync(Host, layoutDir, tag, repository, dockerV2, cancellationToken);

    /// <summary>
    /// Pushes like <see cref="PushAsync"/> but addresses this registry as <paramref name="host"/> (a proxy in front
    /// of it, such as <see cref="StallingProxy"/>); the registry's notifications then name that host.
    /// </summary>
    public Task<string> PushThroughAsync(string host, string layoutDir, string tag, string repository, CancellationToken cancellationToken = default) =>
        PushToAsync(host, layoutDir, tag, repository, dockerV2: false, cancellationToken);

    private Task<string> PushToAsync(string host, string layoutDir, string tag, string repository, bool dockerV2, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var destination = $"{host}/{repository}:{tag}";
            var args = new List<string> { "--insecure-policy", "copy", "--quiet", "--all", "--dest-tls-verify=false" };
            if (Mode != RegistryAuthMode.Anonymous)
            {
                args.Add("--dest-creds");
                args.Add($"{Username}:{Password}");
            }

            if (dockerV2)
            {
                args.Add("--format");
                args.Add("v2s2");
            }

            args.Add($"oci:{layoutDir}:{tag}");
            args.Add("docker://" + destination);
            Tool.Run("skopeo", args, timeout: TimeSpan.FromMinutes(10));
            return destination;
        }, cancellationToken);

    /// <summary>The stored file of a blob (to tamper with it in tests).</summary>
    public string BlobDataPath(string digest)
    {
        var hex = digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return Path.Combine(StorageDir, "docker", "registry", "v2", "blobs", digest[..digest.IndexOf(':', StringComparison.Ordinal)], hex[..2], hex, "data");
    }

    Task IAsyncLifetime.InitializeAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed || !disposing)
        {
            return;
        }

        disposed = true;
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process?.Dispose();
        tokenServer?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            // Keep the tail only: a long test run must not grow this without bound.
            if (log.Length > 64 * 1024)
            {
                log.Remove(0, log.Length - 32 * 1024);
            }

            log.AppendLine(line);
        }
    }

    /// <summary>True once this registry answers /v2/; false when it exited (the caller reads why from the log).</summary>
    private bool WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process!.HasExited)
            {
                process.WaitForExit();
                return false;
            }

            try
            {
                // 200 anonymous, 401 with auth: either way it serves, if the answer is a registry's.
                using var response = http.GetAsync($"http://{Host}/v2/").GetAwaiter().GetResult();
                if (response.Headers.Contains("Docker-Distribution-Api-Version"))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"docker-registry on {Host} did not answer /v2/ within 30 s: {Log}");
    }
}

/// <summary>An anonymous <see cref="RegistryFixture"/>, for <c>IClassFixture</c>.</summary>
public sealed class AnonymousRegistryFixture() : RegistryFixture(RegistryAuthMode.Anonymous);

/// <summary>A <see cref="RegistryFixture"/> with Basic auth, for <c>IClassFixture</c>.</summary>
public sealed class BasicAuthRegistryFixture() : RegistryFixture(RegistryAuthMode.Basic);

/// <summary>A <see cref="RegistryFixture"/> with token auth, for <c>IClassFixture</c>.</summary>
public sealed class TokenAuthRegistryFixture() : RegistryFixture(RegistryAuthMode.Token);
