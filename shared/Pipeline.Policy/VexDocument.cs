using System.Text.Json;

namespace Pipeline.Policy;

/// <summary>One OpenVEX statement reduced to what suppression needs.</summary>
public sealed record VexStatement
{
    /// <summary>The vulnerability's name and its aliases.</summary>
    public required IReadOnlyList<string> Vulnerabilities { get; init; }

    /// <summary>Product purls; a finding's package must match one (or one of its subcomponents).</summary>
    public required IReadOnlyList<VexProduct> Products { get; init; }

    /// <summary><c>not_affected</c>, <c>affected</c>, <c>fixed</c> or <c>under_investigation</c>.</summary>
    public required string Status { get; init; }

    public string? Justification { get; init; }

    public string? ImpactStatement { get; init; }

    /// <summary>True for the statuses that make a finding not apply: <c>not_affected</c> and <c>fixed</c>.</summary>
    public bool Suppresses => Status is "not_affected" or "fixed";
}

/// <summary>A VEX product: a purl (or other identifier) and the purls of its subcomponents.</summary>
public sealed record VexProduct(string Id, IReadOnlyList<string> Subcomponents);

/// <summary>
/// Reads OpenVEX documents (v0.2.0, and the v0.0.x shapes where <c>vulnerability</c> and <c>products</c> are
/// plain strings). Statements with status <c>not_affected</c> or <c>fixed</c> suppress the matching finding,
/// with the justification kept as the reason.
/// </summary>
public static class VexDocument
{
    /// <summary>A VEX document larger than this is refused.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    public static IReadOnlyList<VexStatement> Load(string path)
    {
        return Parse(BoundedFile.ReadAllText(path, MaxBytes, "VEX document"), Path.GetFileName(path));
    }

    /// <exception cref="FormatException">The document is not OpenVEX; the message says where.</exception>
    public static IReadOnlyList<VexStatement> Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not JSON ({ex.Message}).", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("statements", out var statements) || statements.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{source}: not an OpenVEX document (no 'statements' array).");
            }

            var result = new List<VexStatement>();
            var index = 0;
            foreach (var s in statements.EnumerateArray())
            {
                result.Add(Statement(s, $"{source} statements[{index++}]"));
            }

            return result;
        }
    }

    private static VexStatement Statement(JsonElement s, string where)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: a statement must be an object.");
        }

        var vulnerabilities = new List<string>();
        if (s.TryGetProperty("vulnerability", out var v))
        {
            if (v.ValueKind == JsonValueKind.String)
            {
                vulnerabilities.Add(v.GetString()!);
            }
            else if (v.ValueKind == JsonValueKind.Object)
            {
                AddString(v, "name", vulnerabilities);
                AddString(v, "@id", vulnerabilities);
                if (v.TryGetProperty("aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array)
                {
                    vulnerabilities.AddRange(aliases.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!));
                }
            }
        }

        if (vulnerabilities.Count == 0)
        {
            throw new FormatException($"{where}: no vulnerability named.");
        }

        var products = new List<VexProduct>();
        if (s.TryGetProperty("products", out var p) && p.ValueKind == JsonValueKind.Array)
        {
            foreach (var product in p.EnumerateArray())
            {
                if (product.ValueKind == JsonValueKind.String)
                {
                    products.Add(new VexProduct(product.GetString()!, []));
                }
                else if (product.ValueKind == JsonValueKind.Object)
                {
                    var id = product.TryGetProperty("@id", out var pid) && pid.ValueKind == JsonValueKind.String ? pid.GetString()! : string.Empty;
                    var subs = new List<string>();
                    if (product.TryGetProperty("subcomponents", out var sc) && sc.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var sub in sc.EnumerateArray())
                        {
                            if (sub.ValueKind == JsonValueKind.String)
                            {
                                subs.Add(sub.GetString()!);
                            }
                            else
                            {
                                AddString(sub, "@id", subs);
                            }
                        }
                    }

                    products.Add(new VexProduct(id, subs));
                }
            }
        }

        var status = s.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString()! : throw new FormatException($"{where}: no status.");
        if (status is not ("not_affected" or "affected" or "fixed" or "under_investigation"))
        {
            throw new FormatException($"{where}: status '{status}' is not an OpenVEX status.");
        }

        return new VexStatement
        {
            Vulnerabilities = vulnerabilities,
            Products = products,
            Status = status,
            Justification = s.TryGetProperty("justification", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null,
            ImpactStatement = s.TryGetProperty("impact_statement", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null,
        };
    }

    private static void AddString(JsonElement e, string name, List<string> into)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
        {
            into.Add(s);
        }
    }
}
