using System.Globalization;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Npm;

/// <summary>
/// <c>pnpm-lock.yaml</c>: the keys of its top-level <c>packages:</c> map name every resolved package. Lock
/// versions 5.x write <c>/name/1.2.3</c> (peers after <c>_</c>), 6.x <c>/name@1.2.3</c>, 9.x
/// <c>name@1.2.3</c> (peers in parentheses). 5.x and 6.x mark dev-only packages with <c>dev: true</c>;
/// 9.x no longer does, so its packages are not marked.
/// </summary>
internal sealed class PnpmLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "pnpm-lock";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "pnpm-lock.yaml" && !LanguageText.HasDirectory(entry.Path, "node_modules");

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var lines = LanguageText.Read(file.Content).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var versionLine = lines.FirstOrDefault(l => l.StartsWith("lockfileVersion:", StringComparison.Ordinal))
            ?? throw new InvalidDataException("No lockfileVersion: not a pnpm lock file.");
        var lockVersion = double.TryParse(versionLine[16..].Trim().Trim('\'', '"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 9;

        var packages = new List<Package>();
        var inPackages = false;
        (string Name, string Version)? current = null;
        var dev = false;

        void Flush()
        {
            if (current is var (n, ver))
            {
                packages.Add(LanguagePackage.Npm(n, ver, file.Path, dev: dev));
            }

            current = null;
            dev = false;
        }

        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] != ' ')
            {
                Flush();
                inPackages = line == "packages:";
                continue;
            }

            if (!inPackages)
            {
                continue;
            }

            if (line.StartsWith("  ", StringComparison.Ordinal) && line[2] != ' ' && line.EndsWith(':'))
            {
                Flush();
                current = ParseKey(line[2..^1].Trim().Trim('\'', '"'), lockVersion < 6);
            }
            else if (line.Trim() == "dev: true")
            {
                dev = true;
            }
        }

        Flush();
        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    private static (string Name, string Version)? ParseKey(string key, bool slashFormat)
    {
        key = key.TrimStart('/');
        var paren = key.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            key = key[..paren];
        }

        string name;
        string version;
        if (slashFormat)
        {
            var slash = key.LastIndexOf('/');
            if (slash <= 0)
            {
                return null;
            }

            name = key[..slash];
            version = key[(slash + 1)..];
            var peers = version.IndexOf('_', StringComparison.Ordinal);
            if (peers > 0)
            {
                version = version[..peers];
            }
        }
        else
        {
            var at = key.LastIndexOf('@');
            if (at <= 0)
            {
                return null;
            }

            name = key[..at];
            version = key[(at + 1)..];
        }

        // Tarball, git and link keys carry no registry version.
        return version.Length > 0 && char.IsAsciiDigit(version[0]) ? (name, version) : null;
    }
}
