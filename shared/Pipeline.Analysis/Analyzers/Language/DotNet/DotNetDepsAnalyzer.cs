using System.Text.Json;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.DotNet;

/// <summary>
/// <c>*.deps.json</c>, which the .NET SDK writes beside every built application: its <c>libraries</c> map
/// (<c>"Name/Version": {"type": "package"}</c>) lists the NuGet packages the app loads. Projects and framework
/// references are the app itself and the runtime, not packages.
/// </summary>
internal sealed class DotNetDepsAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "dotnet-deps";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.Path.EndsWith(".deps.json", StringComparison.Ordinal);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        using var doc = LanguageJson.Parse(file.Content);
        if (doc.RootElement.Object("libraries") is not { } libraries)
        {
            throw new InvalidDataException("No 'libraries' object: not a deps.json file.");
        }

        var packages = new List<Package>();
        foreach (var library in libraries.EnumerateObject())
        {
            var slash = library.Name.LastIndexOf('/');
            if (slash <= 0 || slash == library.Name.Length - 1 || !string.Equals(library.Value.String("type"), "package", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            packages.Add(LanguagePackage.NuGet(library.Name[..slash], library.Name[(slash + 1)..], file.Path));
        }

        facts.AddPackages(Type, file.Path, packages);
    }
}

/// <summary>
/// NuGet's <c>packages.lock.json</c> (restore with <c>RestorePackagesWithLockFile</c>): per target framework,
/// each package with its <c>resolved</c> version; <c>Project</c> entries are sibling projects, not packages.
/// </summary>
internal sealed class NuGetLockAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "nuget-lock";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "packages.lock.json";

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        using var doc = LanguageJson.Parse(file.Content);
        if (doc.RootElement.Object("dependencies") is not { } frameworks)
        {
            throw new InvalidDataException("No 'dependencies' object: not a NuGet lock file.");
        }

        var packages = new List<Package>();
        foreach (var framework in frameworks.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var dep in framework.Value.EnumerateObject())
            {
                if (dep.Value.String("type") is "Project" || dep.Value.String("resolved") is not { Length: > 0 } version)
                {
                    continue;
                }

                packages.Add(LanguagePackage.NuGet(dep.Name, version, file.Path));
            }
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }
}
