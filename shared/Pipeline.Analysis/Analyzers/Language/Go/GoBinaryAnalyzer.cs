using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Go;

/// <summary>
/// Go executables: the modules compiled in, read from the embedded build info, plus the Go standard library
/// as package <c>stdlib</c> at the toolchain's version (its vulnerabilities are the binary's, as Trivy reports).
/// </summary>
internal sealed class GoBinaryAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "gobinary";

    /// <summary>The smallest Go binary (a stripped hello world) is over a megabyte; this skips scripts and small tools.</summary>
    internal const long MinSize = 256 * 1024;

    private static readonly string[] NotBinaries =
        [".sh", ".py", ".pl", ".rb", ".js", ".mjs", ".txt", ".json", ".yaml", ".yml", ".xml", ".html", ".md", ".jar", ".zip", ".gz", ".png", ".jpg", ".so", ".a", ".o", ".h", ".c"];

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry)
    {
        if (!entry.IsExecutable || entry.Size < MinSize)
        {
            return false;
        }

        var name = entry.FileName;
        foreach (var ext in NotBinaries)
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var data = file.Content.Span;
        if (!GoBuildInfoReader.IsExecutableFormat(data))
        {
            return;
        }

        GoBuildInfo? info;
        if (data.Length < file.Entry.Size)
        {
            // The walker cut the file at its per-file limit: the section headers (at the end) and perhaps the
            // build info are missing. Say so instead of failing on a structure that was never read.
            try
            {
                info = GoBuildInfoReader.Read(data);
            }
            catch (InvalidDataException)
            {
                info = null;
            }

            if (info is null)
            {
                facts.AddError(Type, file.Path, $"Only {data.Length} of {file.Entry.Size} bytes were read; Go build info, if any, was not found in them.");
                return;
            }
        }
        else if ((info = GoBuildInfoReader.Read(data)) is null)
        {
            return;
        }

        facts.AddPackages(Type, file.Path, Packages(info, file.Path));
    }

    internal static List<Package> Packages(GoBuildInfo info, string path)
    {
        var packages = new List<Package>();
        if (info.Main is { } main && main.Path.Length > 0)
        {
            // "(devel)" is what go build records for a module built from a checkout: no version to match.
            var version = main.Version == "(devel)" ? string.Empty : main.Version;
            packages.Add(LanguagePackage.Golang(main.Path, version, path));
        }

        foreach (var dep in info.Deps)
        {
            var module = dep.Replace ?? dep;

            // A replacement by a local directory is the builder's own source, with no version to match.
            if (module.Version.Length == 0)
            {
                continue;
            }

            packages.Add(LanguagePackage.Golang(module.Path, module.Version, path));
        }

        if (StdlibVersion(info.GoVersion) is { } stdlib)
        {
            packages.Add(LanguagePackage.Golang("stdlib", stdlib, path));
        }

        return packages;
    }

    /// <summary><c>go1.19.8</c> → <c>v1.19.8</c> (semver, as Go advisories state it); experiments (<c>go1.21.0 X:boringcrypto</c>) dropped; devel builds have none.</summary>
    internal static string? StdlibVersion(string goVersion)
    {
        if (!goVersion.StartsWith("go", StringComparison.Ordinal))
        {
            return null;
        }

        var v = goVersion[2..];
        var cut = v.IndexOfAny([' ', '+', '-']);
        if (cut >= 0)
        {
            v = v[..cut];
        }

        return v.Length > 0 && char.IsAsciiDigit(v[0]) ? "v" + v : null;
    }
}
