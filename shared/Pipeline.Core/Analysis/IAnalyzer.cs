namespace Pipeline.Core.Analysis;

/// <summary>
/// States facts about the files of one layer. An analyzer never walks a tree: the layer walker asks
/// <see cref="Wants"/> once per entry and hands it the content of the files it wants.
/// </summary>
/// <remarks>
/// Failure contract: an exception thrown from <see cref="Analyze"/> is caught by the walker, recorded in
/// <see cref="LayerAnalysis.Errors"/> with the analyzer type and the path, and the walk goes on with the
/// other files and analyzers. A corrupt package database never stops a scan.
/// </remarks>
public interface IAnalyzer
{
    /// <summary>A stable name (<c>dpkg</c>, <c>os-release</c>, <c>npm</c>, <c>secret</c>). Part of the layer cache key.</summary>
    string Type { get; }

    /// <summary>Bump when the facts this analyzer states for the same bytes could change: it invalidates cached layers.</summary>
    int Version { get; }

    /// <summary>Whether this analyzer wants the content of the entry. Called for every regular file; must be cheap.</summary>
    bool Wants(LayerEntry entry);

    /// <summary>Reads one wanted file and adds facts to <paramref name="facts"/>.</summary>
    void Analyze(LayerFile file, LayerAnalysis facts);
}

/// <summary>A tar entry as the walker saw it, before its content is read.</summary>
/// <param name="Path">Normalized path inside the image: no leading slash, no <c>.</c> or <c>..</c> segments.</param>
/// <param name="Size">Size in bytes of the content.</param>
/// <param name="Mode">Unix permission bits including setuid (04000), setgid (02000) and sticky (01000).</param>
public readonly record struct LayerEntry(string Path, long Size, int Mode)
{
    /// <summary>The last path segment.</summary>
    public string FileName => Path[(Path.LastIndexOf('/') + 1)..];

    public bool IsExecutable => (Mode & 0b001_001_001) != 0;
}

/// <summary>A wanted file with its content, read in full up to the walker's per-file limit.</summary>
public sealed class LayerFile
{
    public LayerFile(LayerEntry entry, ReadOnlyMemory<byte> content)
    {
        Entry = entry;
        Content = content;
    }

    public LayerEntry Entry { get; }

    public string Path => Entry.Path;

    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>A read-only stream over <see cref="Content"/>; callers may dispose it.</summary>
    public Stream OpenRead() => new MemoryStream(Content.ToArray(), writable: false);

    /// <summary>The content decoded as UTF-8.</summary>
    public string ReadText() => System.Text.Encoding.UTF8.GetString(Content.Span);
}
