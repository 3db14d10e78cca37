using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Tests.Support;

/// <summary>A hand-written analyzer double: every line "name version" of a file named pkgs is a package.</summary>
internal sealed class LineAnalyzer : IAnalyzer
{
    public string Type => "lines";

    public int Version { get; init; } = 1;

    public List<string> Seen { get; } = [];

    public bool Wants(LayerEntry entry) => entry.FileName == "pkgs" || entry.FileName == "boom";

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        lock (Seen)
        {
            Seen.Add(file.Path);
        }

        if (file.Entry.FileName == "boom")
        {
            throw new InvalidDataException("corrupt database");
        }

        var packages = file.ReadText().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Select(p => new Package { Name = p[0], Version = p[1], Type = PackageTypes.Deb, Path = file.Path });
        facts.AddPackages(Type, file.Path, packages);
    }
}
