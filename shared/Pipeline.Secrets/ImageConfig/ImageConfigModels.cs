using Pipeline.Core.Analysis;
using Pipeline.Core.Findings;
using CoreImageConfig = Pipeline.Core.Images.ImageConfig;

namespace Pipeline.Secrets.ImageConfig;

/// <summary>What the image-configuration checks read: the config, the manifest's annotations and the merged image's special files.</summary>
public sealed record ImageConfigInput
{
    /// <summary>The image config blob, parsed.</summary>
    public required CoreImageConfig Config { get; init; }

    /// <summary>The manifest's annotations (<c>org.opencontainers.image.base.name</c> and <c>.base.digest</c> are read).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Setuid, setgid and world-writable files of the merged image, each with <see cref="FileFact.Layer"/> set.</summary>
    public IReadOnlyList<FileFact> SpecialFiles { get; init; } = [];

    /// <summary>
    /// Digests (the values <see cref="FileFact.Layer"/> holds) of the layers the application added on top of its base
    /// image. Only special files from these layers are reported: a base image's <c>/usr/bin/passwd</c> is the base's
    /// business. An image does not record where its base ends, so the caller decides: from a known base image's layer
    /// count (<see cref="LayersAfterBase"/>), from the tenant's settings, or null to treat every layer as the application's
    /// (the conservative choice, and the default).
    /// </summary>
    public IReadOnlySet<string>? ApplicationLayers { get; init; }

    /// <summary>The layers after the first <paramref name="baseLayerCount"/> of <paramref name="layerDigests"/> (manifest order).</summary>
    public static IReadOnlySet<string> LayersAfterBase(IReadOnlyList<string> layerDigests, int baseLayerCount)
    {
        ArgumentNullException.ThrowIfNull(layerDigests);
        ArgumentOutOfRangeException.ThrowIfNegative(baseLayerCount);
        return layerDigests.Skip(baseLayerCount).ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>Settings of the image-configuration checks; the defaults are the initializers.</summary>
public sealed class ImageConfigOptions
{
    /// <summary>
    /// Registries (<c>myacr.azurecr.io</c>) or repository prefixes (<c>docker.io/library</c>) a base image may come from.
    /// Empty disables the check.
    /// </summary>
    /// <value>The default is empty: any registry.</value>
    public IList<string> AllowedRegistries { get; set; } = [];

    /// <summary>Ports whose exposure is reported: SSH, Telnet, the Docker API, RDP, VNC.</summary>
    public ISet<int> AdministrativePorts { get; set; } = new HashSet<int> { 22, 23, 2375, 2376, 3389, 5900 };

    /// <summary>At most this many special-file findings per rule; one more summarizes the rest.</summary>
    /// <value>The default value is 100.</value>
    public int MaxFileFindings { get; set; } = 100;
}

/// <summary>What the checks found: misconfigurations, and secrets kept apart so reports list them with file secrets.</summary>
public sealed class ImageConfigResult
{
    public List<Misconfiguration> Misconfigurations { get; } = [];

    /// <summary>Secrets in <c>config.Env</c>, <c>config.Labels</c> and <c>history[N]</c>; redacted like every secret finding.</summary>
    public List<SecretFinding> Secrets { get; } = [];
}
