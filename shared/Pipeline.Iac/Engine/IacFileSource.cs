using System.IO.Compression;
using System.Text;
using Pipeline.Core.Analysis;

namespace Pipeline.Iac.Engine;

/// <summary>One file to scan: its path relative to the scanned PATH ('/' separators) and its text.</summary>
internal sealed record IacFile(string Path, string Text)
{
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>
/// Reads the candidate IaC files under a PATH that is a file, a directory or a .zip. Everything is bounded:
/// file size, file count, directory depth, total bytes read out of a zip; zip entry names that would
/// escape the archive root are refused; symbolic links are not followed.
/// </summary>
internal static class IacFileSource
{
    private static readonly HashSet<string> SkippedDirs = new(StringComparer.Ordinal) { ".git", ".terraform", "node_modules", ".venv", "vendor" };

    private static readonly string[] Extensions = [".tf", ".tfvars", ".json", ".yaml", ".yml", ".template", ".bicep"];

    /// <summary>Whether a file name could hold IaC this scanner reads (checked before reading its bytes).</summary>
    public static bool IsCandidate(string name) =>
        Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || IsDockerfileName(name);

    public static bool IsDockerfileName(string name) =>
        name is "Dockerfile" or "Containerfile" or "dockerfile"
        || name.StartsWith("Dockerfile.", StringComparison.Ordinal)
        || name.EndsWith(".Dockerfile", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".containerfile", StringComparison.OrdinalIgnoreCase);

    public static List<IacFile> Load(string path, IacScanOptions options, List<AnalysisError> errors, CancellationToken ct)
    {
        var files = new List<IacFile>();
        if (Directory.Exists(path))
        {
            var root = new DirectoryInfo(path);
            Walk(root, string.Empty, 0, options, files, errors, ct);
        }
        else if (File.Exists(path) && path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            ReadZip(path, options, files, errors, ct);
        }
        else if (File.Exists(path))
        {
            var name = System.IO.Path.GetFileName(path);
            ReadOne(new FileInfo(path), name, options, files, errors);
        }
        else
        {
            throw new FileNotFoundException($"no such file or directory: {path}", path);
        }

        return files;
    }

    private static void Walk(DirectoryInfo dir, string rel, int depth, IacScanOptions options, List<IacFile> files, List<AnalysisError> errors, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (depth > options.MaxDepth)
        {
            errors.Add(new AnalysisError { Analyzer = "iac", Path = rel, Message = $"directory nesting deeper than {options.MaxDepth}: not scanned" });
            return;
        }

        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = dir.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new AnalysisError { Analyzer = "iac", Path = rel, Message = e.Message });
            return;
        }

        foreach (var entry in entries)
        {
            if (entry.LinkTarget is not null)
            {
                continue; // symbolic links are never followed: they may point outside the scanned tree
            }

            var childRel = rel.Length == 0 ? entry.Name : rel + "/" + entry.Name;
            if (entry is DirectoryInfo sub)
            {
                if (!SkippedDirs.Contains(sub.Name))
                {
                    Walk(sub, childRel, depth + 1, options, files, errors, ct);
                }
            }
            else if (entry is FileInfo file && IsCandidate(file.Name))
            {
                if (files.Count >= options.MaxFiles)
                {
                    errors.Add(new AnalysisError { Analyzer = "iac", Path = childRel, Message = $"more than {options.MaxFiles} files: the rest are not scanned" });
                    return;
                }

                ReadOne(file, childRel, options, files, errors);
            }
        }
    }

    private static void ReadOne(FileInfo file, string rel, IacScanOptions options, List<IacFile> files, List<AnalysisError> errors)
    {
        if (file.Length > options.MaxFileBytes)
        {
            errors.Add(new AnalysisError { Analyzer = "iac", Path = rel, Message = $"file is {file.Length} bytes, over the {options.MaxFileBytes}-byte limit: not scanned" });
            return;
        }

        try
        {
            files.Add(new IacFile(rel, Decode(File.ReadAllBytes(file.FullName))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new AnalysisError { Analyzer = "iac", Path = rel, Message = e.Message });
        }
    }

    private static string Decode(byte[] bytes) => new UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');

    /// <summary>Normalizes a zip entry name; null when it would escape the archive root or is not a plain relative path.</summary>
    internal static string? SafeEntryName(string name)
    {
        var n = name.Replace('\\', '/');
        if (n.StartsWith('/') || (n.Length > 1 && n[1] == ':') || n.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var seg in n.Split('/'))
        {
            if (seg is "" or ".")
            {
                continue;
            }

            if (seg == "..")
            {
                return null;
            }

            parts.Add(seg);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static void ReadZip(string path, IacScanOptions options, List<IacFile> files, List<AnalysisError> errors, CancellationToken ct)
    {
        using var stream = File.OpenRead(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            errors.Add(new AnalysisError { Analyzer = "iac", Path = System.IO.Path.GetFileName(path), Message = $"not a readable zip: {e.Message}" });
            return;
        }

        using (zip)
        {
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                ct.ThrowIfCancellationRequested();
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                var rel = SafeEntryName(entry.FullName);
                if (rel is null)
                {
                    errors.Add(new AnalysisError { Analyzer = "iac", Path = entry.FullName, Message = "zip entry name escapes the archive root: not read" });
                    continue;
                }

                if (!IsCandidate(entry.Name) || rel.Split('/').Any(SkippedDirs.Contains))
                {
                    continue;
                }

                if (files.Count >= options.MaxFiles)
                {
                    errors.Add(new AnalysisError { Analyzer = "iac", Path = rel, Message = $"more than {options.MaxFiles} files: the rest are not scanned" });
                    return;
                }

                // The declared size may lie: read at most one byte past the limit and judge by what arrived.
                using var es = entry.Open();
                var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int n;
                while ((n = es.Read(chunk, 0, chunk.Length)) > 0)
                {
                    buffer.Write(chunk, 0, n);
                    total += n;
                    if (buffer.Length > options.MaxFileBytes || total > options.MaxZipBytes)
                    {
                        break;
                    }
                }

                if (total > options.MaxZipBytes)
                {
                    errors.Add(new AnalysisError { Analyzer = "iac", Path = rel, Message = $"zip expands past {options.MaxZipBytes} bytes: the rest is not read" });
                    return;
                }

                if (buffer.Length > options.MaxFileBytes)
                {
                    errors.Add(new AnalysisError { Analyzer = "iac", Path = rel, Message = $"file is over the {options.MaxFileBytes}-byte limit: not scanned" });
                    continue;
                }

                files.Add(new IacFile(rel, Decode(buffer.ToArray())));
            }
        }
    }
}
