using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Arm;

/// <summary>A parsed ARM template expression (the language inside <c>"[...]"</c> strings).</summary>
internal abstract record ArmExpr
{
    public sealed record Literal(object? Value) : ArmExpr;

    public sealed record Call(string Name, IReadOnlyList<ArmExpr> Args) : ArmExpr;

    public sealed record Property(ArmExpr Target, string Name) : ArmExpr;

    public sealed record Index(ArmExpr Target, ArmExpr Key) : ArmExpr;

    /// <summary>Whether a JSON string is an expression: <c>[...]</c> but not the <c>[[</c> escape.</summary>
    public static bool IsExpression(string s) => s.Length >= 2 && s[0] == '[' && s[^1] == ']' && s[1] != '[';

    public static ArmExpr Parse(string text)
    {
        if (text.Length > 100_000)
        {
            throw new FormatException("Expression too long.");
        }

        var p = new Parser(text);
        var e = p.ParseExpr();
        p.SkipSpace();
        if (!p.AtEnd)
        {
            throw new FormatException($"Unexpected '{text[p.Pos]}' at {p.Pos} in {text}");
        }

        return e;
    }

    private sealed class Parser(string text)
    {
        private int depth;

        public int Pos { get; private set; }

        public bool AtEnd => Pos >= text.Length;

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Pos]))
            {
                Pos++;
            }
        }

        public ArmExpr ParseExpr()
        {
            if (++depth > 200)
            {
                throw new FormatException("Expression nested too deeply.");
            }

            SkipSpace();
            var e = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (!AtEnd && text[Pos] == '.')
                {
                    Pos++;
                    e = new Property(e, ReadIdentifier());
                }
                else if (!AtEnd && text[Pos] == '[')
                {
                    Pos++;
                    var key = ParseExpr();
                    Expect(']');
                    e = new Index(e, key);
                }
                else
                {
                    break;
                }
            }

            depth--;
            return e;
        }

        private ArmExpr ParsePrimary()
        {
            if (AtEnd)
            {
                throw new FormatException("Unexpected end of expression: " + text);
            }

            var c = text[Pos];
            if (c == '\'')
            {
                return new Literal(ReadString());
            }

            if (char.IsDigit(c) || c == '-')
            {
                var start = Pos++;
                while (!AtEnd && char.IsDigit(text[Pos]))
                {
                    Pos++;
                }

                return new Literal(long.Parse(text.AsSpan(start, Pos - start), CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            SkipSpace();
            Expect('(');
            var args = new List<ArmExpr>();
            SkipSpace();
            if (!AtEnd && text[Pos] == ')')
            {
                Pos++;
                return new Call(name, args);
            }

            while (true)
            {
                args.Add(ParseExpr());
                SkipSpace();
                if (!AtEnd && text[Pos] == ',')
                {
                    Pos++;
                    continue;
                }

                Expect(')');
                return new Call(name, args);
            }
        }

        private string ReadString()
        {
            var sb = new StringBuilder();
            Pos++;
            while (true)
            {
                if (AtEnd)
                {
                    throw new FormatException("Unterminated string in " + text);
                }

                var c = text[Pos++];
                if (c == '\'')
                {
                    if (!AtEnd && text[Pos] == '\'')
                    {
                        sb.Append('\'');
                        Pos++;
                        continue;
                    }

                    return sb.ToString();
                }

                sb.Append(c);
            }
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = Pos;
            while (!AtEnd && (char.IsLetterOrDigit(text[Pos]) || text[Pos] == '_'))
            {
                Pos++;
            }

            if (Pos == start)
            {
                throw new FormatException($"Expected a name at {Pos} in {text}");
            }

            return text[start..Pos];
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (AtEnd || text[Pos] != c)
            {
                throw new FormatException($"Expected '{c}' at {Pos} in {text}");
            }

            Pos++;
        }
    }
}

/// <summary>A value the evaluator cannot know before deployment (reference(), listKeys(), utcNow()).</summary>
internal sealed class ArmUnresolvedException(string what) : Exception($"Not known before deployment: {what}");

/// <summary>
/// The deployment a template is evaluated in: parameter values, variables, the copy index, and the
/// subscription and resource group that <c>resourceId()</c> and friends resolve against.
/// </summary>
internal sealed class ArmScope
{
    private readonly Dictionary<string, Func<JsonNode?>> parameters;
    private readonly JsonObject variables;
    private readonly Dictionary<string, JsonNode?> variableCache = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> evaluating = new(StringComparer.OrdinalIgnoreCase);

    public ArmScope(string subscriptionId, string resourceGroup, string tenantId, Dictionary<string, Func<JsonNode?>> parameters, JsonObject? variables)
    {
        SubscriptionId = subscriptionId;
        ResourceGroup = resourceGroup;
        TenantId = tenantId;
        this.parameters = new Dictionary<string, Func<JsonNode?>>(parameters, StringComparer.OrdinalIgnoreCase);
        this.variables = variables ?? [];
    }

    public string SubscriptionId { get; }

    public string ResourceGroup { get; }

    public string TenantId { get; }

    public int? CopyIndex { get; set; }

    public Dictionary<string, JsonNode?> LambdaVariables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonNode? Parameter(string name) =>
        parameters.TryGetValue(name, out var f) ? f() : throw new KeyNotFoundException($"Unknown parameter '{name}'.");

    public JsonNode? Variable(string name)
    {
        if (variableCache.TryGetValue(name, out var cached))
        {
            return cached?.DeepClone();
        }

        var raw = variables.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
        if (raw.Key is null)
        {
            throw new KeyNotFoundException($"Unknown variable '{name}'.");
        }

        if (!evaluating.Add(name))
        {
            throw new InvalidOperationException($"Variable '{name}' refers to itself.");
        }

        var value = ArmEvaluator.EvaluateJson(raw.Value, this);
        evaluating.Remove(name);
        variableCache[name] = value;
        return value?.DeepClone();
    }
}

/// <summary>
/// Evaluates the subset of ARM template functions that resource names, conditions and copy counts use.
/// Anything only known at deployment time throws <see cref="ArmUnresolvedException"/>.
/// </summary>
internal static class ArmEvaluator
{
    public static JsonNode? EvaluateJson(JsonNode? node, ArmScope scope) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && ArmExpr.IsExpression(s) => Evaluate(ArmExpr.Parse(s[1..^1]), scope),
        JsonValue v when v.TryGetValue<string>(out var s) && s.StartsWith("[[", StringComparison.Ordinal) => JsonValue.Create(s[1..]),
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, EvaluateJson(kv.Value, scope)))),
        JsonArray a => new JsonArray(a.Select(x => EvaluateJson(x, scope)).ToArray()),
        _ => node?.DeepClone(),
    };

    public static string EvaluateString(string value, ArmScope scope) =>
        ArmExpr.IsExpression(value) ? AsString(Evaluate(ArmExpr.Parse(value[1..^1]), scope))
        : value.StartsWith("[[", StringComparison.Ordinal) ? value[1..]
        : value;

    public static JsonNode? Evaluate(ArmExpr expr, ArmScope scope) => expr switch
    {
        ArmExpr.Literal { Value: string s } => JsonValue.Create(s),
        ArmExpr.Literal { Value: long n } => JsonValue.Create(n),
        ArmExpr.Literal => null,
        ArmExpr.Property p => Member(Evaluate(p.Target, scope), p.Name),
        ArmExpr.Index i => IndexInto(Evaluate(i.Target, scope), Evaluate(i.Key, scope)),
        ArmExpr.Call c => Call(c, scope),
        _ => throw new InvalidOperationException(expr.GetType().Name),
    };

    private static JsonNode? Call(ArmExpr.Call c, ArmScope scope)
    {
        // Lazy functions first: their arguments must not all be evaluated.
        switch (c.Name.ToLowerInvariant())
        {
            case "if":
                return AsBool(Evaluate(c.Args[0], scope)) ? Evaluate(c.Args[1], scope) : Evaluate(c.Args[2], scope);
            case "and":
                return JsonValue.Create(c.Args.All(a => AsBool(Evaluate(a, scope))));
            case "or":
                return JsonValue.Create(c.Args.Any(a => AsBool(Evaluate(a, scope))));
            case "map":
                return MapLambda(Evaluate(c.Args[0], scope), c.Args[1], scope);
            case "reference" or "list" or "listkeys" or "listsecrets" or "utcnow" or "newguid" or "getsecret":
                throw new ArmUnresolvedException(c.Name + "()");
            default:
                break;
        }

        var a = c.Args.Select(x => Evaluate(x, scope)).ToArray();
        switch (c.Name.ToLowerInvariant())
        {
            case "parameters": return scope.Parameter(AsString(a[0]))?.DeepClone();
            case "variables": return scope.Variable(AsString(a[0]));
            case "lambdavariables": return scope.LambdaVariables[AsString(a[0])]?.DeepClone();
            case "copyindex":
                var offset = a.Length > 0 && a[^1] is JsonValue ov && ov.TryGetValue<long>(out var o) ? o : 0;
                return JsonValue.Create((scope.CopyIndex ?? throw new InvalidOperationException("copyIndex() outside a copy loop.")) + offset);
            case "true": return JsonValue.Create(true);
            case "false": return JsonValue.Create(false);
            case "null": return null;
            case "string": return JsonValue.Create(AsString(a[0]));
            case "int": return JsonValue.Create(long.Parse(AsString(a[0]), CultureInfo.InvariantCulture));
            case "bool": return JsonValue.Create(a[0] is JsonValue bv && bv.TryGetValue<bool>(out var b) ? b : bool.Parse(AsString(a[0])));
            case "concat":
                return a.All(x => x is JsonArray)
                    ? new JsonArray(a.SelectMany(x => ((JsonArray)x!).Select(e => e?.DeepClone())).ToArray())
                    : JsonValue.Create(string.Concat(a.Select(AsString)));
            case "format": return JsonValue.Create(Format(AsString(a[0]), a.Skip(1).ToArray()));
            case "tolower": return JsonValue.Create(AsString(a[0]).ToLowerInvariant());
            case "toupper": return JsonValue.Create(AsString(a[0]).ToUpperInvariant());
            case "replace": return JsonValue.Create(AsString(a[0]).Replace(AsString(a[1]), AsString(a[2]), StringComparison.Ordinal));
            case "split": return new JsonArray(AsString(a[0]).Split(AsString(a[1])).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            case "first": return a[0] is JsonArray fa ? fa[0]?.DeepClone() : JsonValue.Create(AsString(a[0])[..1]);
            case "last": return a[0] is JsonArray la ? la[^1]?.DeepClone() : JsonValue.Create(AsString(a[0])[^1..]);
            case "take": return Take(a[0], (int)AsLong(a[1]));
            case "length":
                return JsonValue.Create(a[0] switch
                {
                    JsonArray arr => arr.Count,
                    JsonObject obj => obj.Count,
                    _ => AsString(a[0]).Length,
                });
            case "empty":
                return JsonValue.Create(a[0] switch
                {
                    null => true,
                    JsonArray arr => arr.Count == 0,
                    JsonObject obj => obj.Count == 0,
                    _ => AsString(a[0]).Length == 0,
                });
            case "equals": return JsonValue.Create(JsonNode.DeepEquals(a[0], a[1]));
            case "not": return JsonValue.Create(!AsBool(a[0]));
            case "add": return JsonValue.Create(AsLong(a[0]) + AsLong(a[1]));
            case "createobject":
                var created = new JsonObject();
                for (var i = 0; i + 1 < a.Length; i += 2)
                {
                    created[AsString(a[i])] = a[i + 1]?.DeepClone();
                }

                return created;
            case "createarray": return new JsonArray(a.Select(x => x?.DeepClone()).ToArray());
            case "guid": return JsonValue.Create(Uuid5.ArmGuid(a.Select(AsString)));
            case "subscription":
                return new JsonObject
                {
                    ["id"] = $"/subscriptions/{scope.SubscriptionId}",
                    ["subscriptionId"] = scope.SubscriptionId,
                    ["tenantId"] = scope.TenantId,
                };
            case "resourcegroup":
                return new JsonObject
                {
                    ["id"] = $"/subscriptions/{scope.SubscriptionId}/resourceGroups/{scope.ResourceGroup}",
                    ["name"] = scope.ResourceGroup,
                };
            case "tenant": return new JsonObject { ["tenantId"] = scope.TenantId };
            case "environment":
                return new JsonObject
                {
                    ["name"] = "AzureCloud",
                    ["suffixes"] = new JsonObject { ["storage"] = "core.windows.net", ["keyvaultDns"] = ".vault.azure.net" },
                };
            case "resourceid": return JsonValue.Create(ResourceId(a.Select(AsString).ToArray(), scope, subscriptionLevel: false));
            case "subscriptionresourceid": return JsonValue.Create(ResourceId(a.Select(AsString).ToArray(), scope, subscriptionLevel: true));
            default:
                throw new NotSupportedException($"ARM function {c.Name}() is not supported by this evaluator.");
        }
    }

    private static JsonNode? MapLambda(JsonNode? source, ArmExpr lambda, ArmScope scope)
    {
        if (lambda is not ArmExpr.Call { Name: var n, Args: [ArmExpr.Literal { Value: string variable }, var body] } || !n.Equals("lambda", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException("map() takes a one-argument lambda.");
        }

        var items = source as JsonArray ?? throw new FormatException("map() over a non-array.");
        var result = new JsonArray();
        foreach (var item in items)
        {
            scope.LambdaVariables[variable] = item?.DeepClone();
            result.Add(Evaluate(body, scope));
        }

        scope.LambdaVariables.Remove(variable);
        return result;
    }

    private static string ResourceId(string[] args, ArmScope scope, bool subscriptionLevel)
    {
        // resourceId([subscriptionId], [resourceGroupName], type, name1, name2...): the type is the first
        // argument holding a provider namespace ("Microsoft.X/y").
        var typeAt = Array.FindIndex(args, s => s.Contains('/', StringComparison.Ordinal) && s.Contains('.', StringComparison.Ordinal));
        if (typeAt < 0)
        {
            throw new FormatException("resourceId() without a resource type.");
        }

        var sub = scope.SubscriptionId;
        var rg = scope.ResourceGroup;
        if (typeAt == 1)
        {
            if (subscriptionLevel)
            {
                sub = args[0];
            }
            else
            {
                rg = args[0];
            }
        }
        else if (typeAt == 2)
        {
            (sub, rg) = (args[0], args[1]);
        }

        var typeSegments = args[typeAt].Split('/');
        var names = args[(typeAt + 1)..];
        if (names.Length != typeSegments.Length - 1)
        {
            throw new FormatException($"resourceId(): {args[typeAt]} needs {typeSegments.Length - 1} names.");
        }

        var sb = new StringBuilder(subscriptionLevel ? $"/subscriptions/{sub}" : $"/subscriptions/{sub}/resourceGroups/{rg}");
        sb.Append("/providers/").Append(typeSegments[0]);
        for (var i = 0; i < names.Length; i++)
        {
            sb.Append('/').Append(typeSegments[i + 1]).Append('/').Append(names[i]);
        }

        return sb.ToString();
    }

    private static JsonNode? Take(JsonNode? source, int count) => source switch
    {
        JsonArray arr => new JsonArray(arr.Take(count).Select(x => x?.DeepClone()).ToArray()),
        _ => JsonValue.Create(new string(AsString(source).Take(count).ToArray())),
    };

    private static string Format(string format, JsonNode?[] args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                sb.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                sb.Append('}');
                i++;
            }
            else if (c == '{')
            {
                var end = format.IndexOf('}', i);
                var spec = format[(i + 1)..end].Split(':')[0];
                sb.Append(AsString(args[int.Parse(spec, CultureInfo.InvariantCulture)]));
                i = end;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static JsonNode? Member(JsonNode? target, string name) => target switch
    {
        JsonObject o => o.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } kv
            ? kv.Value?.DeepClone()
            : throw new KeyNotFoundException($"No property '{name}'."),
        _ => throw new FormatException($"Property '{name}' of a non-object."),
    };

    private static JsonNode? IndexInto(JsonNode? target, JsonNode? key) => target switch
    {
        JsonArray a => a[(int)AsLong(key)]?.DeepClone(),
        JsonObject => Member(target, AsString(key)),
        _ => throw new FormatException("Index into a non-collection."),
    };

    public static string AsString(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    public static long AsLong(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n
        : node is JsonValue v2 && v2.TryGetValue<int>(out var i) ? i
        : long.Parse(AsString(node), CultureInfo.InvariantCulture);

    private static bool AsBool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b)
        ? b
        : throw new FormatException("Expected a boolean, got " + node?.ToJsonString());
}
