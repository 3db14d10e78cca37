using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Core.Detection;
using Pipeline.Core.Images;
using Pipeline.Core.Reports;
using Pipeline.Engine;
using Pipeline.Functions.Configuration;
using Pipeline.Functions.Messages;
using Pipeline.Registry;
using Pipeline.Reports;

namespace Pipeline.Functions.Engine;

/// <summary>
/// Pulls from tenants' registries with shared/Pipeline.Registry, always by digest, restricted to the tenant's
/// allow-list (the registry client refuses any other host before connecting: defence in depth behind ingress).
/// </summary>
internal sealed class RegistryImageSourceProvider : IImageSourceProvider
{
    private readonly IOptionsMonitor<PipelineOptions> _options;
    private readonly IRegistryCredentialProvider? _credentials;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, RegistryOptions> _perTenant = new(StringComparer.Ordinal);

    public RegistryImageSourceProvider(IOptionsMonitor<PipelineOptions> options, TimeProvider time, IRegistryCredentialProvider? credentials = null)
    {
        _options = options;
        _time = time;
        _credentials = credentials;
        options.OnChange(_ => _perTenant.Clear());
    }

    public IImageSource Open(ImageCoordinates image)
    {
        // One RegistryOptions per tenant, so bearer tokens are cached across the tenant's pulls.
        var registryOptions = _perTenant.GetOrAdd(image.Tenant, tenant =>
        {
            if (!_options.CurrentValue.Tenants.TryGetValue(tenant, out var t))
            {
                throw new InvalidOperationException($"Tenant {tenant} is not configured.");
            }

            return new RegistryOptions
            {
                AllowedRegistries = [.. t.AllowedRegistries],
                CredentialProvider = new TenantCredentials(t, _credentials),
                TimeProvider = _time,
            };
        });
        return ImageSourceFactory.Create($"{image.Registry}/{image.Repository}@{image.Digest}", registryOptions);
    }

    /// <summary>The tenant's configured credentials first, then the deployment's provider (managed identity, ECR).</summary>
    private sealed class TenantCredentials(TenantOptions tenant, IRegistryCredentialProvider? fallback) : IRegistryCredentialProvider
    {
        public async ValueTask<RegistryCredential?> GetAsync(string registryHost, CancellationToken cancellationToken)
        {
            var configured = tenant.RegistryCredentials.FirstOrDefault(c => string.Equals(c.Registry, registryHost, StringComparison.OrdinalIgnoreCase));
            if (configured is not null)
            {
                return new RegistryCredential(configured.Username, configured.Password);
            }

            return fallback is null ? null : await fallback.GetAsync(registryHost, cancellationToken);
        }
    }
}

/// <summary>
/// The detectors of shared/Pipeline.Engine for one database version. One engine is kept per database file and
/// shared by every judgement on it; an engine whose file is no longer the latest asked for is disposed when its
/// last lease ends, so the open SQLite files follow vulndb/latest.json without closing one under a running match.
/// </summary>
internal sealed class EngineDetectorSource : IDetectorSource, IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger<EngineDetectorSource> _logger;
    private readonly string _noDatabase;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _engines = new(StringComparer.Ordinal);
    private string? _latest;

    public EngineDetectorSource(TimeProvider time, IOptions<PipelineOptions> options, ILogger<EngineDetectorSource> logger)
    {
        _time = time;
        _logger = logger;

        // A path that does not exist: the engine skips matching with a warning rather than using a default location.
        _noDatabase = Path.Combine(options.Value.DatabaseCacheDirectory, "none", "pipeline.db");
    }

    public Task<DetectorLease> AcquireAsync(string? databasePath, CancellationToken cancellationToken = default)
    {
        var path = databasePath ?? _noDatabase;
        lock (_gate)
        {
            if (!_engines.TryGetValue(path, out var entry))
            {
                entry = new Entry(ScanEngineFactory.Create(new ScanSettings { DatabasePath = path, TimeProvider = _time, Warn = w => _logger.LogWarning("{Warning}", w) }));
                _engines[path] = entry;
            }

            _latest = path;
            entry.Users++;
            RetireUnused();
            return Task.FromResult(new DetectorLease(entry.Engine.Detectors, () => Release(entry)));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _engines.Values)
            {
                entry.Engine.Dispose();
            }

            _engines.Clear();
        }
    }

    private void Release(Entry entry)
    {
        lock (_gate)
        {
            entry.Users--;
            RetireUnused();
        }
    }

    // Under _gate: every engine other than the latest one that nobody holds.
    private void RetireUnused()
    {
        foreach (var (path, entry) in _engines.Where(e => e.Key != _latest && e.Value.Users == 0).ToList())
        {
            entry.Engine.Dispose();
            _engines.Remove(path);
        }
    }

    private sealed class Entry(ScanEngine engine)
    {
        public ScanEngine Engine { get; } = engine;

        public int Users { get; set; }
    }
}

/// <summary>report.sarif and sbom.cdx.json through shared/Pipeline.Reports.</summary>
internal sealed class FormatReportWriter(ReportFormat format, string fileName, string contentType) : IReportWriter
{
    public string FileName => fileName;

    public string ContentType => contentType;

    public Task WriteAsync(ScanReport report, Stream output, CancellationToken cancellationToken = default) =>
        ReportWriter.WriteAsync([report], format, output, cancellationToken);

    public static IReportWriter Sarif { get; } = new FormatReportWriter(ReportFormat.Sarif, "report.sarif", "application/sarif+json");

    public static IReportWriter CycloneDx { get; } = new FormatReportWriter(ReportFormat.CycloneDx, "sbom.cdx.json", "application/vnd.cyclonedx+json");
}
