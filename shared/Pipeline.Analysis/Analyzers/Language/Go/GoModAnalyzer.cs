using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Language.Go;

/// <summary>
/// <c>go.mod</c>: the <c>require</c> directives (single and blocks) with <c>replace</c> directives applied, as
/// the go command resolves them. Since Go 1.17 go.mod lists every module the build needs, indirect ones too.
/// </summary>
internal sealed class GoModAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "gomod";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.FileName == "go.mod" && !LanguageText.HasDirectory(entry.Path, "vendor");

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var requires = new List<(string Path, string Version)>();
        var replaces = new Dictionary<(string Path, string? Version), (string Path, string Version)>();
        string? block = null;
        var sawModule = false;
        foreach (var raw in LanguageText.Read(file.Content).Split('\n'))
        {
            var comment = raw.IndexOf("//", StringComparison.Ordinal);
            var line = (comment >= 0 ? raw[..comment] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (block is not null)
            {
                if (line == ")")
                {
                    block = null;
                }
                else
                {
                    Directive(block, line, requires, replaces);
                }

                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var verb = space < 0 ? line : line[..space];
            var rest = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            sawModule |= verb == "module";
            if (rest == "(")
            {
                block = verb;
            }
            else
            {
                Directive(verb, rest, requires, replaces);
            }
        }

        if (!sawModule)
        {
            throw new InvalidDataException("No module directive: not a go.mod file.");
        }

        var packages = new List<Package>();
        foreach (var (path, version) in requires)
        {
            (string Path, string Version) target = replaces.TryGetValue((path, version), out var r) || replaces.TryGetValue((path, null), out r) ? r : (path, version);

            // A directory replacement has no version: the project's own code.
            if (target.Version.Length > 0)
            {
                packages.Add(LanguagePackage.Golang(target.Path, target.Version, file.Path));
            }
        }

        facts.AddPackages(Type, file.Path, LanguagePackage.Distinct(packages));
    }

    private static void Directive(string verb, string args, List<(string, string)> requires, Dictionary<(string, string?), (string, string)> replaces)
    {
        var f = args.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Unquote).ToArray();
        switch (verb)
        {
            case "require" when f.Length >= 2:
                requires.Add((f[0], f[1]));
                break;
            case "replace":
                var arrow = Array.IndexOf(f, "=>");
                if (arrow is 1 or 2 && f.Length > arrow + 1)
                {
                    var from = (f[0], arrow == 2 ? f[1] : null);
                    replaces[from] = (f[arrow + 1], f.Length > arrow + 2 ? f[arrow + 2] : string.Empty);
                }

                break;
        }
    }

    private static string Unquote(string s) => s.Length >= 2 && s[0] is '"' or '`' && s[^1] == s[0] ? s[1..^1] : s;
}
