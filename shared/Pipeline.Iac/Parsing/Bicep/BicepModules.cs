using System.Text.RegularExpressions;
using Pipeline.Iac.Adapters;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Bicep;

/// <summary>
/// Bicep modules. A compiled template inlines each <c>module</c> as a nested deployment, evaluated with the values
/// the parent passes: those resources are reported at their declaration in the module's own file (when the scan
/// holds it), and that file is not scanned again on its own, where its parameters would take their defaults and
/// every finding would be reported twice.
/// </summary>
internal static partial class BicepModules
{
    [GeneratedRegex(@"^\s*module\s+([A-Za-z_][A-Za-z0-9_]*)\s+'([^']+)'")]
    private static partial Regex Declaration();

    private sealed record ModuleDecl(string Symbol, string Source, int Start, int End);

    /// <summary>The scan's paths of the local modules <paramref name="path"/> uses, directly or through other modules.</summary>
    public static HashSet<string> LocalModulesOf(string path, IReadOnlyDictionary<string, string> texts)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([path]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var decl in Declarations(texts[current]))
            {
                if (Resolve(current, decl.Source) is { } target && texts.ContainsKey(target) && target != path && found.Add(target))
                {
                    pending.Push(target);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Places the models adapted from <paramref name="path"/>'s compiled template: top-level resources in that file,
    /// module resources in the module's file, or at the <c>module</c> declaration when the module is not in the scan
    /// (a registry module, a file outside the scanned directory).
    /// </summary>
    public static List<ModelResource> MapBack(List<ModelResource> models, string path, IReadOnlyDictionary<string, string> texts, string text)
    {
        var result = new List<ModelResource>();
        foreach (var group in models.GroupBy(m => m.Props.TryGetValue(ArmAdapter.ModuleProperty, out var v) ? v.Value?.TryString() ?? string.Empty : string.Empty))
        {
            var (file, fileText, unresolved) = Locate(path, text, group.Key, texts);
            var placed = group.Select(m => m.File == file ? m : Refile(m, file)).ToList();
            if (unresolved is null)
            {
                result.AddRange(BicepMapper.MapBack(placed, fileText));
            }
            else
            {
                result.AddRange(placed.Select(m => AtDeclaration(m, unresolved)));
            }
        }

        return result;
    }

    /// <summary>Follows the module ordinals ("0/2") from the root file; stops at a module the scan does not hold.</summary>
    private static (string File, string Text, ModuleDecl? Unresolved) Locate(string path, string text, string chain, IReadOnlyDictionary<string, string> texts)
    {
        if (chain.Length == 0)
        {
            return (path, text, null);
        }

        foreach (var part in chain.Split('/'))
        {
            var decls = Declarations(text);
            if (!int.TryParse(part, out var ordinal) || ordinal >= decls.Count)
            {
                return (path, text, new ModuleDecl(string.Empty, string.Empty, 1, 1));
            }

            var decl = decls[ordinal];
            if (Resolve(path, decl.Source) is not { } target || !texts.TryGetValue(target, out var moduleText))
            {
                return (path, text, decl);
            }

            (path, text) = (target, moduleText);
        }

        return (path, text, null);
    }

    private static List<ModuleDecl> Declarations(string text) =>
        [.. BicepMapper.Blocks(BicepMapper.Lines(text), Declaration()).Select(b => new ModuleDecl(b.Match.Groups[1].Value, b.Match.Groups[2].Value, b.Start, b.End))];

    /// <summary>
    /// A module source relative to the file that declares it, as a scan path ("modules/storage.bicep"); null for
    /// registry and template-spec modules and for paths that leave the scanned directory.
    /// </summary>
    internal static string? Resolve(string from, string source)
    {
        if (source.Contains(':', StringComparison.Ordinal) || source.StartsWith('/') || !source.EndsWith(".bicep", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parts = new List<string>(from.Split('/')[..^1]);
        foreach (var segment in source.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                    break;
                default:
                    parts.Add(segment);
                    break;
            }
        }

        return string.Join('/', parts);
    }

    private static ModelResource Refile(ModelResource m, string file)
    {
        var copy = new ModelResource(m.Kind, m.Address, file, m.StartLine, m.EndLine) { NativeType = m.NativeType, Payload = m.Payload };
        foreach (var (name, value) in m.Props)
        {
            copy.Props[name] = value;
        }

        return copy;
    }

    private static ModelResource AtDeclaration(ModelResource m, ModuleDecl decl)
    {
        var copy = new ModelResource(m.Kind, m.Address, m.File, decl.Start, decl.End) { NativeType = m.NativeType, Payload = m.Payload };
        foreach (var (name, value) in m.Props)
        {
            copy.Props[name] = value with { Line = decl.Start, EndLine = decl.Start, File = null };
        }

        return copy;
    }
}
