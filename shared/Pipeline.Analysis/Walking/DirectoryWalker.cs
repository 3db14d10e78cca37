using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Walking;

/// <summary>
/// Runs the layer analyzers over a directory, as if it were one layer: the same facts, so <c>scan fs</c>
/// gives the answers a push would. Symbolic links are never followed (a link out of the tree could name
/// anything on the machine); unreadable files are recorded and skipped.
/// </summary>
public sealed class DirectoryWalker(IReadOnlyList<IAnalyzer> analyzers, LayerLimits? limits = null)
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { ".git", ".hg", ".svn" };

    private readonly LayerLimits _limits = limits ?? LayerLimits.Default;

    public async Task<LayerAnalysis> WalkAsync(string root, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"{root} is not a directory.");
        }

        var facts = new LayerAnalysis { Digest = "filesystem", DiffId = "filesystem" };
        foreach (var a in analyzers)
        {
            facts.Analyzers[a.Type] = a.Version;
        }

        var entries = 0;
        var pending = new Stack<string>();
        pending.Push(full);
        var wanting = new List<IAnalyzer>(analyzers.Count);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dir = pending.Pop();
            IEnumerable<FileSystemInfo> children;
            try
            {
                children = new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                facts.AddError("walker", Relative(full, dir), e.Message);
                continue;
            }

            foreach (var child in children)
            {
                if (++entries > _limits.MaxEntries)
                {
                    throw new Streams.LayerLimitExceededException($"{root} has more than {_limits.MaxEntries:N0} entries.");
                }

                if (child.LinkTarget is not null)
                {
                    continue;
                }

                if (child is DirectoryInfo)
                {
                    if (!SkippedDirectories.Contains(child.Name))
                    {
                        pending.Push(child.FullName);
                    }

                    continue;
                }

                if (child is not FileInfo file)
                {
                    continue;
                }

                var path = Relative(full, file.FullName);
                var mode = OperatingSystem.IsWindows() ? 0b110_100_100 : (int)file.UnixFileMode;
                var entry = new LayerEntry(path, file.Length, mode);
                facts.Paths.Add(path);
                wanting.Clear();
                wanting.AddRange(analyzers.Where(a => a.Wants(entry)));
                if (wanting.Count == 0)
                {
                    continue;
                }

                if (file.Length > _limits.MaxFileBytes)
                {
                    facts.AddError("walker", path, $"file of {file.Length:N0} bytes exceeds the per-file limit of {_limits.MaxFileBytes:N0}");
                    continue;
                }

                byte[] content;
                try
                {
                    content = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    facts.AddError("walker", path, e.Message);
                    continue;
                }

                var layerFile = new LayerFile(entry, content);
                foreach (var a in wanting)
                {
                    LayerWalker.Analyze(a, layerFile, facts);
                }
            }
        }

        return facts;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
