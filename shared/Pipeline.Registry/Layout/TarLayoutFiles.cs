using System.Formats.Tar;

namespace Pipeline.Registry.Layout;

/// <summary>
/// The files of a tar archive (oci-archive, docker-archive), read in place: the tar is indexed once (entry
/// name to data offset and length) and each file is opened as a window onto the archive. Nothing is extracted.
/// </summary>
internal sealed class TarLayoutFiles : ILayoutFiles
{
    // A layout tar holds index.json, oci-layout, manifest.json and one file per blob; a million entries is not one.
    private const int MaxEntries = 100_000;

    private readonly string path;
    private readonly Dictionary<string, (long Offset, long Length)> entries = new(StringComparer.Ordinal);

    private TarLayoutFiles(string path) => this.path = path;

    public static TarLayoutFiles Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new ImageNotFoundException($"Archive {path} does not exist.");
        }

        var files = new TarLayoutFiles(path);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (files.entries.Count >= MaxEntries)
                {
                    throw new InvalidImageException($"Archive {path} has more than {MaxEntries} entries.");
                }

                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                {
                    files.entries[Normalize(entry.Name)] = (entry.DataOffset, entry.Length);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new InvalidImageException($"Archive {path} is not a valid tar: {e.Message}", e);
        }

        return files;
    }

    public IEnumerable<string> Names => entries.Keys;

    public Stream? TryOpen(string relativePath)
    {
        if (!entries.TryGetValue(Normalize(relativePath), out var e))
        {
            return null;
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Position = e.Offset;
        return new WindowStream(file, e.Length);
    }

    public void Dispose()
    {
    }

    private static string Normalize(string name)
    {
        var n = name.Replace('\\', '/');
        while (n.StartsWith("./", StringComparison.Ordinal))
        {
            n = n[2..];
        }

        return n.TrimStart('/');
    }
}

/// <summary>A read-only view of <c>length</c> bytes of a stream from its current position; owns the stream.</summary>
internal sealed class WindowStream(Stream inner, long size) : ReadOnlyStream
{
    private readonly long size = size;
    private long remaining = size;

    public override long Length => size;

    public override long Position
    {
        get => size - remaining;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (remaining <= 0)
        {
            return 0;
        }

        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        remaining -= n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (remaining <= 0)
        {
            return 0;
        }

        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken).ConfigureAwait(false);
        remaining -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
