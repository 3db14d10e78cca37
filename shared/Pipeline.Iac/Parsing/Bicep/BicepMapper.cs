using System.Text.RegularExpressions;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Bicep;

/// <summary>
/// Maps model resources adapted from a compiled Bicep template back to the .bicep source: each resource to
/// its <c>resource NAME 'type@version'</c> declaration (the n-th ARM resource of a type to the n-th
/// declaration of that type), and each explicit value to the line in that declaration that sets it.
/// </summary>
internal static partial class BicepMapper
{
    [GeneratedRegex(@"^\s*resource\s+([A-Za-z_][A-Za-z0-9_]*)\s+'([^'@]+)@([^']+)'")]
    private static partial Regex Declaration();

    private sealed record Decl(string Symbol, string Type, int Start, int End);

    public static List<ModelResource> MapBack(List<ModelResource> models, string bicepText)
    {
        var lines = Lines(bicepText);
        var decls = Blocks(lines, Declaration()).Select(b => new Decl(b.Match.Groups[1].Value, b.Match.Groups[2].Value, b.Start, b.End)).ToList();

        var assigned = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var nextByType = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var result = new List<ModelResource>();
        foreach (var model in models)
        {
            var decl = SymbolDecl(model, decls) ?? NthDecl(model, decls, assigned, nextByType);
            result.Add(decl is null ? model : Relocate(model, decl, lines));
        }

        return result;
    }

    private static Decl? SymbolDecl(ModelResource model, List<Decl> decls) =>
        model.Props.TryGetValue("__symbol", out var s) && s.Value?.TryString() is { } symbol ? decls.Find(d => d.Symbol == symbol) : null;

    /// <summary>The n-th resource of a type takes the n-th declaration of that type; an NSG's rules share the NSG's.</summary>
    private static Decl? NthDecl(ModelResource model, List<Decl> decls, Dictionary<string, int> assigned, Dictionary<string, int> nextByType)
    {
        var type = model.NativeType;
        var owner = model.Kind == Kinds.NsgRule ? string.Join('/', model.Address.Split('/').Take(3)) : model.Address;
        if (!assigned.TryGetValue(owner, out var index))
        {
            index = nextByType.GetValueOrDefault(type);
            nextByType[type] = index + 1;
            assigned[owner] = index;
        }

        return decls.Where(d => d.Type.Equals(type, StringComparison.OrdinalIgnoreCase)).ElementAtOrDefault(index);
    }

    internal static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>The declarations <paramref name="declaration"/> matches, each with its block's first and last line (1-based).</summary>
    internal static IEnumerable<(Match Match, int Start, int End)> Blocks(string[] lines, Regex declaration)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            if (declaration.Match(lines[i]) is { Success: true } m)
            {
                yield return (m, i + 1, BlockEnd(lines, i));
            }
        }
    }

    private static int BlockEnd(string[] lines, int start)
    {
        var depth = 0;
        for (var i = start; i < lines.Length; i++)
        {
            foreach (var c in lines[i])
            {
                if (c == '{')
                {
                    depth++;
                }
                else if (c == '}')
                {
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }
            }
        }

        return start + 1;
    }

    private static ModelResource Relocate(ModelResource model, Decl decl, string[] lines)
    {
        var copy = new ModelResource(model.Kind, model.Address, model.File, decl.Start, decl.End) { NativeType = model.NativeType, Payload = model.Payload };

        // An item of an array (an NSG's security rule) is found by its name first, so its properties are not
        // confused with the same property of an earlier item.
        var from = decl.Start;
        if (model.Kind == Kinds.NsgRule && model.Address.Split('/') is { Length: > 3 } parts)
        {
            var item = "'" + parts[^1] + "'";
            for (var i = decl.Start; i <= decl.End && i <= lines.Length; i++)
            {
                if (lines[i - 1].Contains("name:", StringComparison.Ordinal) && lines[i - 1].Contains(item, StringComparison.Ordinal))
                {
                    from = i;
                    break;
                }
            }
        }

        foreach (var (name, value) in model.Props)
        {
            var (line, end) = (decl.Start, decl.End);
            if (value.Origin is ValueOrigin.Explicit or ValueOrigin.Unresolved && value.SourceName is { } source)
            {
                var last = source.Split('.')[^1];
                for (var i = from; i <= decl.End && i <= lines.Length; i++)
                {
                    if (Regex.IsMatch(lines[i - 1], @"^\s*'?" + Regex.Escape(last) + @"'?\s*:", RegexOptions.IgnoreCase))
                    {
                        line = end = i;
                        break;
                    }
                }
            }

            copy.Props[name] = value with { Line = line, EndLine = end, File = null };
        }

        return copy;
    }
}
