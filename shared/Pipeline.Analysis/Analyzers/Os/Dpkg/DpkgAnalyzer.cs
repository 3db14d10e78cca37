using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Os.Dpkg;

/// <summary>
/// Debian packages: the dpkg status database (<c>var/lib/dpkg/status</c>), distroless's one-file-per-package
/// <c>var/lib/dpkg/status.d/</c>, and the file lists in <c>var/lib/dpkg/info/*.list</c> that say which files
/// each package owns.
/// </summary>
internal sealed class DpkgAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "dpkg";

    private const string StatusPath = "var/lib/dpkg/status";
    private const string StatusDir = "var/lib/dpkg/status.d/";
    private const string InfoDir = "var/lib/dpkg/info/";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry)
    {
        var p = entry.Path;
        if (!p.StartsWith("var/lib/dpkg/", StringComparison.Ordinal))
        {
            return false;
        }

        return p == StatusPath
            || (IsDirectChild(p, StatusDir) && !p.EndsWith(".md5sums", StringComparison.Ordinal))
            || (IsDirectChild(p, InfoDir) && p.EndsWith(".list", StringComparison.Ordinal));
    }

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        if (file.Path.StartsWith(InfoDir, StringComparison.Ordinal))
        {
            facts.OwnedFiles.Add(ReadFileList(file));
            return;
        }

        // status.d entries have no Status field: distroless writes only what is installed.
        var requireStatus = file.Path == StatusPath;
        var packages = new List<Package>();
        var errors = new ErrorList(Type, file.Path);
        foreach (var p in ControlParagraphs.Parse(file.ReadText()))
        {
            foreach (var problem in p.Problems)
            {
                errors.Add(problem);
            }

            var name = p["Package"];
            var version = p["Version"];
            if (requireStatus && !IsInstalled(p["Status"]))
            {
                continue;
            }

            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version))
            {
                errors.Add($"paragraph at line {p.Line}: no Package or Version field; skipped");
                continue;
            }

            packages.Add(ToPackage(p, name, version, file.Path));
        }

        errors.WriteTo(facts);
        facts.AddPackages(Type, file.Path, packages);
    }

    /// <summary>
    /// Installed means dpkg's current state leaves the package's files on disk, whatever the selection: a
    /// package on <c>hold ok installed</c> (apt-mark hold) or <c>deinstall ok installed</c> still has them, and
    /// so do <c>triggers-pending</c> and <c>triggers-awaited</c> (configured, a trigger not yet run: common in
    /// images built with <c>dpkg --no-triggers</c>), <c>half-configured</c> and <c>unpacked</c>.
    /// <c>config-files</c>, <c>half-installed</c> and <c>not-installed</c> packages do not.
    /// </summary>
    internal static bool IsInstalled(string? status)
    {
        if (status is null)
        {
            return false;
        }

        var words = status.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[2] is "installed" or "triggers-pending" or "triggers-awaited" or "half-configured" or "unpacked";
    }

    private static Package ToPackage(ControlParagraph p, string name, string version, string path)
    {
        var arch = p["Architecture"];
        var sourceName = name;
        var sourceVersion = version;

        // "Source: glibc (2.36-9+deb12u4)": the source version is only written when it differs from the binary's.
        if (p["Source"] is { Length: > 0 } source)
        {
            var paren = source.IndexOf('(', StringComparison.Ordinal);
            if (paren >= 0)
            {
                sourceName = source[..paren].Trim();
                var close = source.IndexOf(')', paren);
                sourceVersion = (close > paren ? source[(paren + 1)..close] : source[(paren + 1)..]).Trim();
            }
            else
            {
                sourceName = source.Trim();
            }
        }

        return new Package
        {
            Name = name,
            Version = version,
            Type = PackageTypes.Deb,
            Arch = string.IsNullOrEmpty(arch) ? null : arch,
            SourceName = sourceName,
            SourceVersion = sourceVersion,
            Path = path,

            // The distribution (debian, ubuntu) is not known inside one layer; "debian" is the purl spec's
            // namespace for every dpkg-based package unless the merge knows better.
            Purl = PackageUrl.Create(PackageTypes.Deb, "debian", name, version, [new("arch", arch)]),
        };
    }

    private static OwnedFiles ReadFileList(LayerFile file)
    {
        var name = file.Entry.FileName[..^".list".Length];

        // Multi-arch packages' lists are named libc6:amd64.list; the package is libc6.
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            name = name[..colon];
        }

        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var raw in file.ReadText().Split('\n'))
        {
            var path = raw.Trim().TrimStart('/');
            if (path.Length > 0 && path != ".")
            {
                paths.Add(path.TrimEnd('/'));
            }
        }

        return new OwnedFiles { Path = file.Path, Package = name, Files = WithoutDirectories(paths) };
    }

    /// <summary>
    /// dpkg lists the directories a package creates alongside its files. A listed path that is the parent of
    /// another listed path is a directory. In ordinal order everything starting with a path follows it in
    /// one run, so the look-ahead stops at the first path that does not (siblings like <c>usr/bin-old</c>,
    /// which sort before <c>usr/bin/</c>, are stepped over). A directory listed without any child (bash lists
    /// <c>/usr/share/info</c> alone) cannot be told from a file and is kept; Trivy has the same limit.
    /// </summary>
    internal static List<string> WithoutDirectories(SortedSet<string> paths)
    {
        var all = paths.ToList();
        var files = new List<string>(all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            var prefix = all[i] + "/";
            var isDir = false;
            for (var j = i + 1; j < all.Count && all[j].StartsWith(all[i], StringComparison.Ordinal); j++)
            {
                if (all[j].StartsWith(prefix, StringComparison.Ordinal))
                {
                    isDir = true;
                    break;
                }
            }

            if (!isDir)
            {
                files.Add(all[i]);
            }
        }

        return files;
    }

    private static bool IsDirectChild(string path, string dir) =>
        path.Length > dir.Length && path.StartsWith(dir, StringComparison.Ordinal) && path.IndexOf('/', dir.Length) < 0;
}
