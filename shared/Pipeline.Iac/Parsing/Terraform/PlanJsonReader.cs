using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Terraform;

/// <summary>
/// Reads <c>terraform show -json</c> output: the resources under <c>planned_values.root_module</c> and its
/// <c>child_modules</c>. Values a plan leaves unknown (an id known after apply) are taken from the
/// <c>configuration</c> section's references, so attachments still link to their targets.
/// </summary>
internal static class PlanJsonReader
{
    public static bool LooksLikePlan(DValue doc) => doc.Get("planned_values") is not null && doc.Get("format_version") is not null;

    public static List<TfResource> Read(DValue doc, string file)
    {
        var references = ConfigReferences(doc.Path("configuration.root_module"), string.Empty);
        var result = new List<TfResource>();
        if (doc.Path("planned_values.root_module") is { Kind: DKind.Map } root)
        {
            ReadModule(root, file, references, result, 0);
        }

        return result;
    }

    private static void ReadModule(DValue module, string file, Dictionary<string, Dictionary<string, string>> references, List<TfResource> into, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        foreach (var res in module.Get("resources")?.AsList() ?? [])
        {
            var address = res.Get("address")?.TryString();
            var type = res.Get("type")?.TryString();
            if (address is null || type is null)
            {
                continue;
            }

            var values = res.Get("values") ?? DValue.Map([]);
            var configKey = StripIndex(address);
            if (references.TryGetValue(configKey, out var refs))
            {
                var map = values.Fields.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                foreach (var (attr, target) in refs)
                {
                    if (!map.TryGetValue(attr, out var v) || v.Kind == DKind.Null)
                    {
                        map[attr] = DValue.Unknown(target, res.Line, res.EndLine);
                    }
                }

                values = DValue.Map(map, values.Line, values.EndLine);
            }

            var isData = res.Get("mode")?.TryString() == "data";
            into.Add(new TfResource(type, address, file, res.Line, res.EndLine, values, isData));
        }

        foreach (var child in module.Get("child_modules")?.AsList() ?? [])
        {
            ReadModule(child, file, references, into, depth + 1);
        }
    }

    private static string StripIndex(string address)
    {
        var i = address.LastIndexOf('[');
        return i > 0 && address.EndsWith(']') ? address[..i] : address;
    }

    /// <summary>resource address → (attribute → referenced resource address) from the configuration section.</summary>
    private static Dictionary<string, Dictionary<string, string>> ConfigReferences(DValue? module, string prefix)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var res in module?.Get("resources")?.AsList() ?? [])
        {
            if (res.Get("address")?.TryString() is not { } address || res.Get("expressions") is not { Kind: DKind.Map } exprs)
            {
                continue;
            }

            var refs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (attr, expr) in exprs.Fields)
            {
                // "references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]: the shortest names the resource.
                var target = expr.Get("references")?.AsList().Select(r => r.TryString()).OfType<string>().OrderBy(r => r.Length).FirstOrDefault();
                if (target is not null && !target.StartsWith("var.", StringComparison.Ordinal) && !target.StartsWith("local.", StringComparison.Ordinal))
                {
                    refs[attr] = prefix + target;
                }
            }

            result[prefix + address] = refs;
        }

        return result;
    }
}
