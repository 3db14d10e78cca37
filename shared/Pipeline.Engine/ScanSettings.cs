using Pipeline.Analysis.Walking;
using Pipeline.Secrets.Scanning;

namespace Pipeline.Engine;

/// <summary>How a scan is composed. Defaults live here, in one place, for the CLI and the pipeline alike.</summary>
public sealed record ScanSettings
{
    /// <summary>What is scanned: an image's layers hold installed packages, a source tree holds lock files. <value>The default is an image.</value></summary>
    public ScanTarget Target { get; init; } = ScanTarget.Image;

    /// <summary><value>The default is every scanner.</value></summary>
    public Scanners Scanners { get; init; } = Scanners.All;

    /// <summary>The vulnerability database; null means the default location. A missing database skips matching with a warning.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>
    /// Whether a missing database is an error (the user named one with <c>--db</c>) rather than a warning.
    /// <value>The default is false: matching is skipped with a warning.</value>
    /// </summary>
    public bool RequireDatabase { get; init; }

    /// <summary>Bounds per layer. <value>The default is <see cref="LayerLimits.Default"/>.</value></summary>
    public LayerLimits Limits { get; init; } = LayerLimits.Default;

    /// <summary>Registries a base image may come from (image-configuration check); null accepts any.</summary>
    public IReadOnlyCollection<string>? AllowedRegistries { get; init; }

    /// <summary>Secret scanning bounds and skip rules. <value>The default is <see cref="SecretScanOptions"/>' defaults.</value></summary>
    public SecretScanOptions? SecretOptions { get; init; }

    /// <summary>Salt of secret fingerprints; null uses <c>$PIPELINE_SECRET_SALT</c> or the installation's salt file.</summary>
    public string? SecretSalt { get; init; }

    /// <summary>Receives warnings worth telling the user (no database, stale database).</summary>
    public Action<string>? Warn { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>What a scan reads.</summary>
public enum ScanTarget
{
    Image,
    FileSystem,
}
