using System.Buffers;
using System.Formats.Tar;
using Pipeline.Analysis.Streams;
using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Walking;

/// <summary>
/// Walks one layer's tar once: records whiteouts, opaque directories, written paths and files with special
/// permissions, and hands each wanted regular file to the analyzers that want it. Links are recorded as
/// paths and never followed; nothing is written to disk.
/// </summary>
internal sealed class LayerWalker(IReadOnlyList<IAnalyzer> analyzers, LayerLimits limits)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    public async Task WalkAsync(Stream tar, LayerAnalysis facts, CancellationToken cancellationToken)
    {
        using var reader = new TarReader(tar, leaveOpen: true);
        var entries = 0;
        var wanting = new List<IAnalyzer>(analyzers.Count);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
            {
                throw new CorruptLayerException($"Layer {facts.Digest} is not a valid tar: {e.Message}", e);
            }

            if (entry is null)
            {
                break;
            }

            if (++entries > limits.MaxEntries)
            {
                throw new LayerLimitExceededException($"Layer {facts.Digest} has more than {limits.MaxEntries:N0} entries.");
            }

            var path = TarPath.Normalize(entry.Name, out var escaped);
            if (escaped)
            {
                facts.AddError("walker", path, $"entry name '{Shorten(entry.Name)}' climbs above the root; contained as '{path}'");
            }

            if (path.Length == 0)
            {
                continue;
            }

            var slash = path.LastIndexOf('/');
            var name = path[(slash + 1)..];
            var dir = slash < 0 ? string.Empty : path[..slash];
            if (name == OpaqueMarker)
            {
                facts.OpaqueDirs.Add(dir);
                continue;
            }

            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var target = name[WhiteoutPrefix.Length..];
                facts.Whiteouts.Add(dir.Length == 0 ? target : dir + "/" + target);
                continue;
            }

            if (entry.EntryType is TarEntryType.Directory)
            {
                continue;
            }

            facts.Paths.Add(path);
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
            {
                // Symlinks, hard links, devices, fifos: recorded as written paths, never followed or read.
                continue;
            }

            var mode = (int)entry.Mode;
            if ((mode & 0xC00) != 0 || (mode & 0x2) != 0)
            {
                facts.SpecialFiles.Add(new FileFact { Path = path, Mode = mode });
            }

            var layerEntry = new LayerEntry(path, entry.Length, mode);
            wanting.Clear();
            foreach (var a in analyzers)
            {
                if (a.Wants(layerEntry))
                {
                    wanting.Add(a);
                }
            }

            if (wanting.Count == 0 || entry.DataStream is null)
            {
                continue;
            }

            if (entry.Length > limits.MaxFileBytes)
            {
                facts.AddError("walker", path, $"file of {entry.Length:N0} bytes exceeds the per-file limit of {limits.MaxFileBytes:N0}; not analyzed by {string.Join(", ", wanting.Select(a => a.Type))}");
                continue;
            }

            var length = (int)entry.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            try
            {
                await entry.DataStream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
                var file = new LayerFile(layerEntry, buffer.AsMemory(0, length));
                foreach (var a in wanting)
                {
                    Analyze(a, file, facts);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    internal static void Analyze(IAnalyzer analyzer, LayerFile file, LayerAnalysis facts)
    {
        try
        {
            analyzer.Analyze(file, facts);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One analyzer's failure on one file never stops the others (a corrupt rpmdb must not hide dpkg).
            facts.AddError(analyzer.Type, file.Path, e.Message);
        }
    }

    private static string Shorten(string s) => s.Length > 120 ? s[..120] + "…" : s;
}
