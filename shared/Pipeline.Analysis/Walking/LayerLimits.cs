namespace Pipeline.Analysis.Walking;

/// <summary>Bounds on what one layer may cost. Exceeding the first two refuses the layer; the third skips a file.</summary>
public sealed record LayerLimits
{
    /// <summary>Decompressed bytes per layer. <value>The default is 16 GiB.</value></summary>
    public long MaxDecompressedBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Tar entries per layer. <value>The default is 2,000,000 entries.</value></summary>
    public int MaxEntries { get; init; } = 2_000_000;

    /// <summary>Bytes an analyzer may read from one file; larger wanted files are skipped and recorded. <value>The default is 256 MiB.</value></summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    public static LayerLimits Default { get; } = new();

    /// <summary>Part of the layer cache key: a layer analyzed under other limits may hold other facts.</summary>
    public string Fingerprint => $"{MaxDecompressedBytes}/{MaxEntries}/{MaxFileBytes}";
}
