using System.Text.Json.Serialization;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;

namespace Pipeline.Core.Analysis;

/// <summary>
/// Everything the analyzers found in one layer: facts only, no judgement. This is what the layer cache
/// stores (blob <c>layers/{cacheKey}.json</c>), so it must stay serializable with System.Text.Json and its
/// <see cref="SchemaVersion"/> must change whenever its shape does.
/// </summary>
public sealed class LayerAnalysis
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Digest of the layer blob as stored in the registry (compressed).</summary>
    public string Digest { get; set; } = string.Empty;

    /// <summary>Digest of the uncompressed tar (the image config's <c>rootfs.diff_ids</c> entry).</summary>
    public string DiffId { get; set; } = string.Empty;

    /// <summary>Analyzer type → version, for every analyzer that ran.</summary>
    public SortedDictionary<string, int> Analyzers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Operating-system facts, one per release file found in this layer.</summary>
    public List<OsFact> Os { get; set; } = [];

    /// <summary>Packages grouped by the file they were read from, so a later layer replacing that file replaces them.</summary>
    public List<PackageSet> PackageSets { get; set; } = [];

    /// <summary>Files owned by OS packages (dpkg <c>info/*.list</c>, apk and rpm file lists), by the file that lists them.</summary>
    public List<OwnedFiles> OwnedFiles { get; set; } = [];

    /// <summary>Paths deleted by this layer (the target of each <c>.wh.name</c> entry).</summary>
    public List<string> Whiteouts { get; set; } = [];

    /// <summary>Directories whose lower-layer content this layer hides (<c>.wh..wh..opq</c>).</summary>
    public List<string> OpaqueDirs { get; set; } = [];

    /// <summary>Every non-directory path this layer writes, so the merge can tell which later layer replaced a file.</summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>Regular files with setuid or setgid bits, or writable by everyone.</summary>
    public List<FileFact> SpecialFiles { get; set; } = [];

    /// <summary>Secrets found in this layer's files, already redacted.</summary>
    public List<SecretFinding> Secrets { get; set; } = [];

    /// <summary>What could not be analyzed, and why; the scan goes on without it.</summary>
    public List<AnalysisError> Errors { get; set; } = [];

    /// <summary>Adds packages read from one file.</summary>
    public void AddPackages(string analyzer, string path, IEnumerable<Package> packages)
    {
        var list = packages.ToList();
        PackageSets.Add(new PackageSet { Analyzer = analyzer, Path = path, Packages = list });
    }

    public void AddError(string analyzer, string path, string message) =>
        Errors.Add(new AnalysisError { Analyzer = analyzer, Path = path, Message = message });
}

/// <summary>An operating-system fact read from one file (os-release, alpine-release, debian_version, redhat-release, …).</summary>
public sealed class OsFact
{
    public string Path { get; set; } = string.Empty;

    public string Analyzer { get; set; } = string.Empty;

    public OsInfo Os { get; set; } = new() { Family = "unknown", Version = string.Empty };

    /// <summary>Higher wins when several files in the merged image describe the OS (os-release over debian_version).</summary>
    public int Priority { get; set; }
}

/// <summary>Packages read from one file of a layer.</summary>
public sealed class PackageSet
{
    public string Analyzer { get; set; } = string.Empty;

    /// <summary>The file the packages were read from.</summary>
    public string Path { get; set; } = string.Empty;

    public List<Package> Packages { get; set; } = [];
}

/// <summary>The files one OS package owns, as listed by <see cref="Path"/>.</summary>
public sealed class OwnedFiles
{
    /// <summary>The file that lists them (<c>var/lib/dpkg/info/bash.list</c>, the apk database, the rpm database).</summary>
    public string Path { get; set; } = string.Empty;

    public string Package { get; set; } = string.Empty;

    /// <summary>Owned paths, normalized like <see cref="LayerEntry.Path"/>.</summary>
    public List<string> Files { get; set; } = [];
}

/// <summary>A file whose permissions matter to image-configuration checks.</summary>
public sealed class FileFact
{
    public string Path { get; set; } = string.Empty;

    public int Mode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Layer { get; set; }

    [JsonIgnore]
    public bool IsSetuid => (Mode & 0x800) != 0;

    [JsonIgnore]
    public bool IsSetgid => (Mode & 0x400) != 0;

    [JsonIgnore]
    public bool IsWorldWritable => (Mode & 0x2) != 0;
}

/// <summary>Something an analyzer or the walker could not read.</summary>
public sealed class AnalysisError
{
    public string Analyzer { get; set; } = string.Empty;

    public string Path { get; set; } = string.Empty;

    public string Message { get; set; } = string.Empty;
}
