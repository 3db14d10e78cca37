using System.IO.Compression;

namespace Pipeline.Vulnerabilities.Osv;

/// <summary>
/// Enumerates OSV JSON documents from a path: a directory (every <c>*.json</c> below it, in ordinal order so
/// builds are reproducible), a single <c>.json</c> file, or a <c>.zip</c> as osv.dev publishes per ecosystem.
/// Entries are opened one at a time as streams; a zip is never read into memory whole.
/// </summary>
internal static class OsvSource
{
    /// <summary>Entries larger than this are refused (the largest real OSV record is well under 1 MiB).</summary>
    public const long MaxEntryBytes = 16L * 1024 * 1024;

    /// <summary>One document: a display name (file, or zip!entry) and a way to open it, or why it cannot be read.</summary>
    internal readonly record struct Entry(string Name, long Length, Func<Stream> Open);

    public static IEnumerable<Entry> Enumerate(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var e in EnumerateFile(file))
                {
                    yield return e;
                }
            }
        }
        else if (File.Exists(path))
        {
            foreach (var e in EnumerateFile(path))
            {
                yield return e;
            }
        }
        else
        {
            throw new FileNotFoundException($"OSV source '{path}' does not exist.", path);
        }
    }

    private static IEnumerable<Entry> EnumerateFile(string file)
    {
        if (!file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            var length = new FileInfo(file).Length;
            yield return new Entry(file, length, () => File.OpenRead(file));
            yield break;
        }

        // ZipFile.OpenRead reads only the central directory; each entry is inflated as it is read.
        using var zip = ZipFile.OpenRead(file);
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName.EndsWith('/') || !entry.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            yield return new Entry(file + "!" + entry.FullName, entry.Length, entry.Open);
        }
    }
}
