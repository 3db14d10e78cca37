using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Os.Apk;

/// <summary>
/// Alpine (and Wolfi, Chainguard) packages from apk's database <c>lib/apk/db/installed</c>: one record per
/// package, records separated by blank lines, each line a one-letter key, a colon and a value
/// (<c>P:</c> name, <c>V:</c> version, <c>A:</c> arch, <c>o:</c> origin, <c>L:</c> license, <c>F:</c> a
/// directory, <c>R:</c> a file in the last <c>F:</c> directory).
/// </summary>
internal sealed class ApkAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "apk";

    private const string DatabasePath = "lib/apk/db/installed";

    // apk-tools 3 and merged-/usr Alpine keep the same database under usr/.
    private const string UsrDatabasePath = "usr/lib/apk/db/installed";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.Path is DatabasePath or UsrDatabasePath;

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        var errors = new ErrorList(Type, file.Path);
        var record = new Record();
        var lineNo = 0;
        foreach (var raw in file.ReadText().Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                Flush(record, file.Path, facts, errors, packages, lineNo);
                record = new Record();
                continue;
            }

            if (line.Length < 2 || line[1] != ':')
            {
                errors.Add($"line {lineNo}: not a 'K:value' line");
                continue;
            }

            record.Start ??= lineNo;
            var value = line[2..];
            switch (line[0])
            {
                case 'P': record.Name = value; break;
                case 'V': record.Version = value; break;
                case 'A': record.Arch = value; break;
                case 'o': record.Origin = value; break;
                case 'L': record.License = value; break;
                case 'F': record.Dir = value.Trim('/'); break;
                case 'R':
                    record.Files.Add(record.Dir.Length == 0 ? value : record.Dir + "/" + value);
                    break;
                default: break;
            }
        }

        Flush(record, file.Path, facts, errors, packages, lineNo);
        errors.WriteTo(facts);
        facts.AddPackages(Type, file.Path, packages);
    }

    private static void Flush(Record r, string path, LayerAnalysis facts, ErrorList errors, List<Package> packages, int lineNo)
    {
        if (r.Start is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(r.Name) || string.IsNullOrEmpty(r.Version))
        {
            errors.Add($"record at line {r.Start} (to {lineNo}): no P: or V: line; skipped");
            return;
        }

        packages.Add(new Package
        {
            Name = r.Name,
            Version = r.Version,
            Type = PackageTypes.Apk,
            Arch = r.Arch,
            SourceName = string.IsNullOrEmpty(r.Origin) ? r.Name : r.Origin,
            SourceVersion = r.Version,
            Licenses = string.IsNullOrEmpty(r.License) ? null : [r.License],
            Path = path,

            // Wolfi and Chainguard use apk too; the distribution is not known inside one layer.
            Purl = PackageUrl.Create(PackageTypes.Apk, "alpine", r.Name, r.Version, [new("arch", r.Arch)]),
        });
        if (r.Files.Count > 0)
        {
            facts.OwnedFiles.Add(new OwnedFiles { Path = path, Package = r.Name, Files = r.Files });
        }
    }

    private sealed class Record
    {
        public int? Start { get; set; }

        public string? Name { get; set; }

        public string? Version { get; set; }

        public string? Arch { get; set; }

        public string? Origin { get; set; }

        public string? License { get; set; }

        public string Dir { get; set; } = string.Empty;

        public List<string> Files { get; } = [];
    }
}
