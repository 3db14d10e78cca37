using Pipeline.Analysis.Walking;

namespace Pipeline.Engine;

/// <summary>How a scan is composed. Defaults live here, in one place, for the CLI and the pipeline alike.</summary>
public sealed record ScanSettings
{
    /// <summary><value>The default is every scanner.</value></summary>
    public Scanners Scanners { get; init; } = Scanners.All;

    /// <summary>The vulnerability database; null means the default location. A missing database skips matching with a warning.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>Bounds per layer. <value>The default is <see cref="LayerLimits.Default"/>.</value></summary>
    public LayerLimits Limits { get; init; } = LayerLimits.Default;

    /// <summary>Registries a base image may come from (image-configuration check); null accepts any.</summary>
    public IReadOnlyCollection<string>? AllowedRegistries { get; init; }

    /// <summary>Receives warnings worth telling the user (no database, stale database).</summary>
    public Action<string>? Warn { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
