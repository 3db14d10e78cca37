using System.Text.Json;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Npm;

/// <summary>
/// A real npm project installed from the registry once and cached: three direct dependencies (one scoped,
/// one that needs an older <c>debug</c> nested under it), a dev dependency and a workspace. npm itself also
/// writes lockfileVersion 1 and 2 locks of the same project, so every lock format is npm's own output.
/// </summary>
internal static class NpmFixture
{
    private const string PackageJson = """
        {
          "name": "lang-fixture",
          "version": "1.0.0",
          "private": true,
          "workspaces": ["packages/*"],
          "dependencies": { "debug": "4.3.4", "finalhandler": "1.2.0", "@types/ms": "0.7.34" },
          "devDependencies": { "isarray": "2.0.5" }
        }
        """;

    private const string WorkspacePackageJson = """{ "name": "lang-fixture-tool", "version": "0.1.0" }""";

    private static readonly Lazy<string> Dir = new(() => LanguageAnalyzerHarness.Cached("npm-project-1", Make));

    /// <summary>The installed project (node_modules, package-lock.json v3) with <c>v1/</c> and <c>v2/</c> lock-only copies.</summary>
    public static string Path => Dir.Value;

    /// <summary>name@version of every installed package as <c>npm ls --all --json</c> lists it, workspaces excluded.</summary>
    public static List<string> NpmLsIds()
    {
        var json = Tool.Run("npm", ["ls", "--all", "--json", "--prefix", Path]);
        using var doc = JsonDocument.Parse(json);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        Collect(doc.RootElement, ids);
        return ids.ToList();
    }

    private static void Collect(JsonElement node, SortedSet<string> ids)
    {
        if (!node.TryGetProperty("dependencies", out var deps))
        {
            return;
        }

        foreach (var dep in deps.EnumerateObject())
        {
            var resolved = dep.Value.TryGetProperty("resolved", out var r) ? r.GetString() : null;
            if (resolved is not null && resolved.StartsWith("file:", StringComparison.Ordinal))
            {
                continue;
            }

            ids.Add(dep.Name + "@" + dep.Value.GetProperty("version").GetString());
            Collect(dep.Value, ids);
        }
    }

    private static void Make(string dir)
    {
        void Write(string root)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(root, "packages", "tool"));
            File.WriteAllText(System.IO.Path.Combine(root, "package.json"), PackageJson);
            File.WriteAllText(System.IO.Path.Combine(root, "packages", "tool", "package.json"), WorkspacePackageJson);
        }

        Write(dir);
        Npm(dir, "install");
        foreach (var v in new[] { "1", "2" })
        {
            var sub = System.IO.Path.Combine(dir, "v" + v);
            Write(sub);
            Npm(sub, "install", "--package-lock-only", "--lockfile-version", v);
        }
    }

    private static void Npm(string dir, params string[] args) =>
        Tool.Run("npm", [.. args, "--no-audit", "--no-fund", "--prefix", dir], workingDirectory: dir, timeout: TimeSpan.FromMinutes(5));
}
