using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Java;

/// <summary>
/// Java archives (jar, war, ear, par): the Maven coordinates in <c>META-INF/maven/**/pom.properties</c>; when
/// there are none, the main section of <c>META-INF/MANIFEST.MF</c>; when that says too little, the file name
/// (<c>name-1.2.3.jar</c>). Archives inside archives (WEB-INF/lib, BOOT-INF/lib, an ear's modules) are read
/// the same way, their packages' path being <c>outer.war!/WEB-INF/lib/inner.jar</c>.
/// </summary>
/// <remarks>
/// A hostile archive is bounded: nesting depth, entries read in all, and bytes inflated in all (nested
/// archives are inflated into memory) each have a limit, and an entry that inflates past its declared
/// size or past a limit is dropped with an error rather than read on.
/// </remarks>
internal sealed class JarAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "jar";

    private static readonly string[] Extensions = [".jar", ".war", ".ear", ".par"];

    public JarAnalyzer(JarLimits? limits = null) => Limits = limits ?? new JarLimits();

    public string Type => AnalyzerType;

    public int Version => 1;

    internal JarLimits Limits { get; }

    public bool Wants(LayerEntry entry) => IsArchive(entry.Path);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        var budget = new Budget(Limits);
        using (var stream = AsStream(file.Content))
        {
            try
            {
                ReadArchive(stream, file.Path, file.Entry.FileName, 0, packages, budget, facts);
            }
            catch (Exception e) when (IsCorrupt(e) && packages.Count > 0)
            {
                // A limit hit late: keep what was found before it, and say what was not read.
                facts.AddError(Type, file.Path, e.Message);
            }
        }

        facts.AddPackages(Type, file.Path, packages);
    }

    internal static bool IsArchive(string path)
    {
        foreach (var ext in Extensions)
        {
            if (path.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void ReadArchive(Stream stream, string path, string fileName, int depth, List<Package> packages, Budget budget, LayerAnalysis facts)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var poms = new List<MavenCoordinates>();
        Dictionary<string, string>? manifest = null;
        var nested = new List<ZipArchiveEntry>();
        foreach (var entry in zip.Entries)
        {
            budget.CountEntry();
            var name = entry.FullName;
            if (name.StartsWith("META-INF/maven/", StringComparison.Ordinal) && name.EndsWith("/pom.properties", StringComparison.Ordinal))
            {
                if (MavenCoordinates.FromPomProperties(ReadSmall(entry, budget)) is { } pom)
                {
                    poms.Add(pom);
                }
            }
            else if (name.Equals("META-INF/MANIFEST.MF", StringComparison.OrdinalIgnoreCase))
            {
                manifest = Manifest.Parse(ReadSmall(entry, budget));
            }
            else if (IsArchive(name) && !name.EndsWith('/'))
            {
                nested.Add(entry);
            }
        }

        // pom.properties is what Maven wrote at build time, so it wins. A shaded jar carries one per library
        // bundled into it, and each is a package of its own.
        if (poms.Count > 0)
        {
            packages.AddRange(poms.Select(p => p.ToPackage(path)));
        }
        else
        {
            var fromName = MavenCoordinates.FromFileName(fileName);
            var fromManifest = manifest is null ? null : MavenCoordinates.FromManifest(manifest);
            if (fromManifest is { IsComplete: true })
            {
                packages.Add(fromManifest.ToPackage(path));
            }
            else if (fromName is not null)
            {
                packages.Add((fromName with { GroupId = fromManifest?.GroupId }).ToPackage(path));
            }
        }

        foreach (var entry in nested)
        {
            var innerPath = path + "!/" + entry.FullName;
            if (budget.Exhausted)
            {
                break;
            }

            if (depth + 1 > Limits.MaxDepth)
            {
                facts.AddError(Type, innerPath, $"Archive nested deeper than {Limits.MaxDepth} levels: not read.");
                continue;
            }

            try
            {
                using var inner = new MemoryStream(ReadBounded(entry, Limits.MaxNestedArchiveBytes, budget));
                ReadArchive(inner, innerPath, entry.Name, depth + 1, packages, budget, facts);
            }
            catch (Exception e) when (IsCorrupt(e))
            {
                facts.AddError(Type, innerPath, e.Message);
            }
        }
    }

    /// <summary>What a corrupt, hostile or unsupported zip throws (an unknown compression method is NotSupportedException).</summary>
    private static bool IsCorrupt(Exception e) => e is InvalidDataException or NotSupportedException or IOException;

    private static string ReadSmall(ZipArchiveEntry entry, Budget budget) =>
        Encoding.UTF8.GetString(ReadBounded(entry, budget.Limits.MaxMetadataBytes, budget));

    /// <summary>Inflates an entry, trusting neither its declared size nor its compression ratio.</summary>
    private static byte[] ReadBounded(ZipArchiveEntry entry, long max, Budget budget)
    {
        if (entry.Length > max)
        {
            throw new InvalidDataException($"{entry.FullName} inflates to {entry.Length} bytes, over the limit of {max}.");
        }

        using var source = entry.Open();
        using var buffer = new MemoryStream((int)Math.Min(entry.Length, max));
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new InvalidDataException($"{entry.FullName} inflates past the limit of {max} bytes.");
            }

            budget.Inflate(read);
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    /// <summary>What one top-level archive may cost, across all its nested archives.</summary>
    private sealed class Budget(JarLimits limits)
    {
        private long entries;
        private long inflated;

        public JarLimits Limits => limits;

        public bool Exhausted => entries > limits.MaxEntries || inflated > limits.MaxInflatedBytes;

        public void CountEntry()
        {
            if (++entries > limits.MaxEntries)
            {
                throw new InvalidDataException($"More than {limits.MaxEntries} zip entries in one archive and its nested archives.");
            }
        }

        public void Inflate(int bytes)
        {
            inflated += bytes;
            if (inflated > limits.MaxInflatedBytes)
            {
                throw new InvalidDataException($"More than {limits.MaxInflatedBytes} bytes inflated from one archive and its nested archives.");
            }
        }
    }
}

/// <summary>Bounds on reading one Java archive with everything nested in it.</summary>
internal sealed record JarLimits
{
    /// <summary>Archives inside archives: a war's jar holding jars is depth 2. The default is 4.</summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary>Zip entries listed, over the archive and all nested ones. The default is 500,000.</summary>
    public long MaxEntries { get; init; } = 500_000;

    /// <summary>Bytes inflated in all (nested archives and metadata). The default is 512 MiB.</summary>
    public long MaxInflatedBytes { get; init; } = 512L << 20;

    /// <summary>One nested archive, inflated into memory. The default is 128 MiB.</summary>
    public long MaxNestedArchiveBytes { get; init; } = 128L << 20;

    /// <summary>One pom.properties or MANIFEST.MF. The default is 1 MiB.</summary>
    public long MaxMetadataBytes { get; init; } = 1L << 20;
}
