using System.Text.Json;
using Pipeline.Core;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Caching;

/// <summary>
/// The CLI's layer cache: one JSON file per cache key in a directory (<c>--cache-dir</c>, by default
/// <c>$XDG_CACHE_HOME/pipeline/layers</c>). Writes go to a temporary file renamed into place, so a reader
/// never sees half an entry and concurrent scans sharing the directory are safe.
/// </summary>
public sealed class DirectoryLayerCache : ILayerCache
{
    private readonly string _directory;

    public DirectoryLayerCache(string directory)
    {
        _directory = Directory.CreateDirectory(directory).FullName;
    }

    /// <summary><c>$PIPELINE_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/pipeline</c>, else <c>~/.cache/pipeline</c>.</summary>
    public static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("PIPELINE_CACHE_DIR") is { Length: > 0 } dir)
        {
            return dir;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "pipeline");
    }

    public async Task<LayerAnalysis?> GetAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        var path = PathOf(cacheKey);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            // One read, one synchronous parse: cache entries are small and a warm scan is mostly these reads.
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var analysis = JsonSerializer.Deserialize(bytes, PipelineJson.TypeInfo<LayerAnalysis>(PipelineJson.Compact));
            return analysis is { SchemaVersion: LayerAnalysis.CurrentSchemaVersion } ? analysis : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // An unreadable entry is a miss: the layer is analyzed again and the entry rewritten.
            return null;
        }
    }

    public async Task PutAsync(string cacheKey, LayerAnalysis analysis, CancellationToken cancellationToken = default)
    {
        var path = PathOf(cacheKey);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, analysis, PipelineJson.TypeInfo<LayerAnalysis>(PipelineJson.Compact), cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(string cacheKey)
    {
        // Keys are produced by LayerCacheKey (sha256-<hex>); refuse anything that could name another file.
        if (cacheKey.Length == 0 || cacheKey.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"Invalid layer cache key '{cacheKey}'.", nameof(cacheKey));
        }

        return Path.Combine(_directory, cacheKey + ".json");
    }
}
