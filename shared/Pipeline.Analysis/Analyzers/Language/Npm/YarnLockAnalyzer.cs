using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Npm;

/// <summary>
/// <c>yarn.lock</c>, both yarn 1's own format (<c>version "1.2.3"</c>) and yarn 2+ "berry" YAML
/// (<c>version: 1.2.3</c>, <c>resolution: "name@npm:1.2.3"</c>). Each block starts with its descriptors
/// (<c>name@range, name@range:</c>) at column 0. yarn.lock does not say which packages are dev-only.
/// </summary>
internal sealed class YarnLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "yarn-lock";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "yarn.lock" && !LanguageText.HasDirectory(entry.Path, "node_modules");

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var packages = new List<Package>();
        string? name = null;
        string? version = null;
        string? resolution = null;
        var sawHeader = false;

        void Flush()
        {
            if (Resolve(name, version, resolution) is var (n, v))
            {
                packages.Add(LanguagePackage.Npm(n, v, file.Path));
            }

            name = version = resolution = null;
        }

        foreach (var raw in LanguageText.Read(file.Content).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] != ' ')
            {
                Flush();
                sawHeader = true;
                name = line.EndsWith(':') ? DescriptorName(line[..^1].Split(", ")[0].Trim().Trim('"')) : null;
                continue;
            }

            var trimmed = line.Trim();
            if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal))
            {
                if (trimmed.StartsWith("version ", StringComparison.Ordinal) || trimmed.StartsWith("version:", StringComparison.Ordinal))
                {
                    version = trimmed[8..].Trim().Trim('"');
                }
                else if (trimmed.StartsWith("resolution:", StringComparison.Ordinal))
                {
                    resolution = trimmed[11..].Trim().Trim('"');
                }
            }
        }

        Flush();
        if (!sawHeader)
        {
            throw new InvalidDataException("No lock entries: not a yarn.lock file.");
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    /// <summary>
    /// Berry's resolution says what was installed: only <c>name@npm:version</c> is a registry package
    /// (workspace:, link:, portal:, file: and patch: entries are the project's own or a patched copy of an
    /// npm entry that is listed on its own).
    /// </summary>
    private static (string Name, string Version)? Resolve(string? name, string? version, string? resolution)
    {
        if (resolution is not null)
        {
            var npm = resolution.IndexOf("@npm:", 1, StringComparison.Ordinal);
            if (npm <= 0 || version is null)
            {
                return null;
            }

            return (resolution[..npm], version);
        }

        return name is null || name == "__metadata" || string.IsNullOrEmpty(version) ? null : (name, version);
    }

    /// <summary><c>@scope/name@^1.0.0</c> → <c>@scope/name</c>; a leading <c>@</c> is the scope, not the separator.</summary>
    private static string? DescriptorName(string descriptor)
    {
        var at = descriptor.IndexOf('@', 1);
        return at > 0 ? descriptor[..at] : descriptor.Length > 0 ? descriptor : null;
    }
}
