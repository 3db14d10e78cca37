using System.Net.Sockets;

namespace Pipeline.Vulnerabilities.Database;

/// <summary>
/// Downloads osv.dev's per-ecosystem exports (<c>{base}/{Ecosystem}/all.zip</c>) and builds a database from
/// them. Every download must succeed before anything is built, and the build replaces the output only when
/// complete: offline, or on any HTTP error, the previous database is left exactly as it was.
/// </summary>
public sealed class DatabaseUpdater(HttpClient http, DatabaseBuilder builder)
{
    /// <summary>osv.dev's public bucket.</summary>
    public const string DefaultBaseUrl = "https://osv-vulnerabilities.storage.googleapis.com";

    /// <summary>A cap on one download, far above the largest export (a hostile server cannot fill the disk).</summary>
    public const long MaxDownloadBytes = 8L * 1024 * 1024 * 1024;

    /// <summary>The ecosystems this scanner matches, as osv.dev names their export folders.</summary>
    public static IReadOnlyList<string> DefaultEcosystems { get; } =
    [
        "Debian", "Ubuntu", "Alpine", "Red Hat", "Rocky Linux", "AlmaLinux",
        "npm", "PyPI", "Go", "Maven", "NuGet", "crates.io", "RubyGems", "Packagist",
    ];

    /// <summary>Downloads every ecosystem's <c>all.zip</c> and builds <paramref name="output"/> from them.</summary>
    /// <exception cref="DatabaseUpdateException">A download failed; nothing was changed.</exception>
    public async Task<DatabaseBuildResult> UpdateAsync(Uri baseUrl, IReadOnlyList<string> ecosystems, string output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(ecosystems);
        var fullOutput = Path.GetFullPath(output);
        var work = Path.Combine(Path.GetDirectoryName(fullOutput)!, "." + Path.GetFileName(fullOutput) + ".download-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var files = new List<string>();
            var urls = new List<string>();
            foreach (var ecosystem in ecosystems)
            {
                var url = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(ecosystem) + "/all.zip");
                var file = Path.Combine(work, files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".zip");
                await DownloadAsync(url, file, cancellationToken).ConfigureAwait(false);
                files.Add(file);
                urls.Add(url.AbsoluteUri);
            }

            return builder.Build(files, fullOutput, urls, cancellationToken);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task DownloadAsync(Uri url, string file, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new DatabaseUpdateException($"Download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}. The existing database was kept.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var target = File.Create(file);
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += n;
                if (total > MaxDownloadBytes)
                {
                    throw new DatabaseUpdateException($"Download of {url} exceeds {MaxDownloadBytes} bytes. The existing database was kept.");
                }

                await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException s ? s.Message : ex.Message;
            throw new DatabaseUpdateException($"Cannot download {url}: {reason}. Are you offline? The existing database was kept.", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DatabaseUpdateException($"Download of {url} timed out. The existing database was kept.", ex);
        }
    }
}

/// <summary>An update could not complete; the previous database is untouched.</summary>
public sealed class DatabaseUpdateException : Exception
{
    public DatabaseUpdateException()
    {
    }

    public DatabaseUpdateException(string message)
        : base(message)
    {
    }

    public DatabaseUpdateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
