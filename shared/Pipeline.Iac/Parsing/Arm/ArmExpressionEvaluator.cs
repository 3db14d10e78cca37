using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Arm;

/// <summary>
/// Where a template is deployed: what <c>subscription()</c>, <c>resourceGroup()</c>, <c>tenant()</c> and the
/// resource ID functions resolve against. A scan that knows nothing of the target uses <see cref="Placeholder"/>.
/// </summary>
internal sealed record ArmDeployment(string SubscriptionId, string ResourceGroup, string TenantId)
{
    public static readonly ArmDeployment Placeholder = new("00000000-0000-0000-0000-000000000000", "resourceGroup", "00000000-0000-0000-0000-000000000000");
}

/// <summary>
/// Evaluates ARM template language expressions (<c>"[concat(parameters('a'), 'b')]"</c>): parameters()
/// with their defaultValue, variables(), the string, logical and comparison functions, resourceId,
/// subscriptionResourceId, extensionResourceId, resourceGroup(), subscription(), tenant(), guid (ARM's UUIDv5),
/// uniqueString (deterministic, so a scan is repeatable), map() with a lambda, copyIndex inside copy loops.
/// reference(), list*() and anything else that needs a deployment are unknown.
/// </summary>
internal sealed class ArmExpressionEvaluator
{
    private readonly DValue _template;
    private readonly IReadOnlyDictionary<string, DValue> _parameterValues;
    private readonly Dictionary<string, DValue> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _evaluatingVariables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DValue> _lambdaVariables = new(StringComparer.OrdinalIgnoreCase);

    public ArmExpressionEvaluator(DValue template, IReadOnlyDictionary<string, DValue>? parameterValues = null, ArmDeployment? deployment = null)
    {
        _template = template;
        _parameterValues = parameterValues ?? new Dictionary<string, DValue>();
        Deployment = deployment ?? ArmDeployment.Placeholder;
    }

    public ArmDeployment Deployment { get; }

    /// <summary>The current copy loop index (and named loops' indexes) while expanding copies.</summary>
    public Dictionary<string, int> CopyIndexes { get; } = new(StringComparer.OrdinalIgnoreCase);

    public DValue Evaluate(DValue v, int depth = 0)
    {
        if (depth > 128)
        {
            throw new IacParseException("template nested too deep", v.Line);
        }

        switch (v.Kind)
        {
            case DKind.String:
                {
                    var s = v.AsString;
                    if (s.Length >= 2 && s[0] == '[' && s[^1] == ']')
                    {
                        if (s.Length > 2 && s[1] == '[')
                        {
                            return DValue.Str(s[1..], v.Line, v.EndLine); // "[[" escapes a literal bracket
                        }

                        return EvaluateExpression(s[1..^1]).At(v.Line, v.EndLine);
                    }

                    return v;
                }

            case DKind.List:
                return DValue.List(v.Items.Select(i => Evaluate(i, depth + 1)).ToList(), v.Line, v.EndLine);
            case DKind.Map:
                return DValue.Map(v.Fields.ToDictionary(kv => kv.Key, kv => Evaluate(kv.Value, depth + 1), StringComparer.Ordinal), v.Line, v.EndLine);
            default:
                return v;
        }
    }

    public DValue EvaluateExpression(string text)
    {
        var p = new ExprParser(text, this);
        var result = p.Parse();
        return result;
    }

    private DValue Parameter(string name)
    {
        if (_parameterValues.TryGetValue(name, out var given))
        {
            return given;
        }

        var decl = _template.Get("parameters")?.GetIgnoreCase(name);
        return decl?.GetIgnoreCase("defaultValue") is { } d ? Evaluate(d) : DValue.Unknown("parameter:" + name);
    }

    private DValue Variable(string name)
    {
        if (_variables.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var decl = _template.Get("variables")?.GetIgnoreCase(name);
        if (decl is null || _evaluatingVariables.Count > 100 || !_evaluatingVariables.Add(name))
        {
            return DValue.Unknown();
        }

        try
        {
            var v = Evaluate(decl);
            _variables[name] = v;
            return v;
        }
        finally
        {
            _evaluatingVariables.Remove(name);
        }
    }

    /// <summary>A deterministic stand-in for ARM's uniqueString: 13 lowercase characters from a hash of the inputs.</summary>
    internal static string UniqueString(IEnumerable<string> parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", parts)));
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var sb = new StringBuilder();
        for (var i = 0; i < 13; i++)
        {
            sb.Append(alphabet[hash[i] % 32]);
        }

        return sb.ToString();
    }

    private DValue Call(string name, List<DValue> a)
    {
        string S(int i) => a[i].TryString() ?? throw new FormatException();
        switch (name.ToLowerInvariant())
        {
            case "parameters": return Parameter(S(0));
            case "variables": return Variable(S(0));
            case "true": return DValue.True;
            case "false": return DValue.False;
            case "null": return DValue.Null;
            case "copyindex":
                {
                    var offset = 0;
                    string? loop = null;
                    foreach (var arg in a)
                    {
                        if (arg.Kind == DKind.Number)
                        {
                            offset = (int)arg.AsNumber;
                        }
                        else
                        {
                            loop = arg.TryString();
                        }
                    }

                    return CopyIndexes.TryGetValue(loop ?? string.Empty, out var i) ? DValue.Num(i + offset) : DValue.Unknown();
                }

            case "resourcegroup":
                return DValue.Map(new()
                {
                    ["name"] = DValue.Str(Deployment.ResourceGroup),
                    ["location"] = DValue.Str("resourceGroupLocation"),
                    ["id"] = DValue.Str($"/subscriptions/{Deployment.SubscriptionId}/resourceGroups/{Deployment.ResourceGroup}"),
                });
            case "subscription":
                return DValue.Map(new()
                {
                    ["subscriptionId"] = DValue.Str(Deployment.SubscriptionId),
                    ["id"] = DValue.Str($"/subscriptions/{Deployment.SubscriptionId}"),
                    ["tenantId"] = DValue.Str(Deployment.TenantId),
                });
            case "tenant": return DValue.Map(new() { ["tenantId"] = DValue.Str(Deployment.TenantId) });
            case "deployment": return DValue.Map(new() { ["name"] = DValue.Str("deployment") });
            case "environment":
                return DValue.Map(new()
                {
                    ["name"] = DValue.Str("AzureCloud"),
                    ["suffixes"] = DValue.Map(new()
                    {
                        ["storage"] = DValue.Str("core.windows.net"),
                        ["keyvaultDns"] = DValue.Str(".vault.azure.net"),
                        ["acrLoginServer"] = DValue.Str(".azurecr.io"),
                        ["sqlServerHostname"] = DValue.Str(".database.windows.net"),
                    }),
                });
            case "lambdavariables":
                return a.Count == 1 && a[0].TryString() is { } lv && _lambdaVariables.TryGetValue(lv, out var bound) ? bound : DValue.Unknown();

            // The branch not taken may be unknown (a reference()) without making the result unknown.
            case "if" when a.Count == 3 && a[0].TryBool() is { } chosen:
                return chosen ? a[1] : a[2];
        }

        if (a.Any(x => !x.IsKnown))
        {
            return DValue.Unknown(a.First(x => !x.IsKnown).Reference);
        }

        switch (name.ToLowerInvariant())
        {
            case "concat":
                return a.Count > 0 && a.All(x => x.Kind == DKind.List)
                    ? DValue.List(a.SelectMany(x => x.Items).ToList())
                    : DValue.Str(string.Concat(a.Select(x => x.TryString() ?? x.ToJson())));
            case "format":
                {
                    var args = a.Skip(1).Select(x => (object?)(x.TryString() ?? x.ToJson())).ToArray();
                    return DValue.Str(string.Format(CultureInfo.InvariantCulture, S(0), args));
                }

            case "resourceid" or "subscriptionresourceid" or "tenantresourceid" or "extensionresourceid":
                return ResourceId(name.ToLowerInvariant(), a.Select(x => x.TryString() ?? string.Empty).ToList()) is { } id ? DValue.Str(id) : DValue.Unknown();

            case "if": return a[0].TryBool() is { } c ? (c ? a[1] : a[2]) : DValue.Unknown();
            case "equals": return DValue.Bool(a[0].ValueEquals(a[1]));
            case "not": return DValue.Bool(!(a[0].TryBool() ?? throw new FormatException()));
            case "and": return DValue.Bool(a.All(x => x.TryBool() == true));
            case "or": return DValue.Bool(a.Any(x => x.TryBool() == true));
            case "greater": return DValue.Bool(Compare(a[0], a[1]) > 0);
            case "greaterorequals": return DValue.Bool(Compare(a[0], a[1]) >= 0);
            case "less": return DValue.Bool(Compare(a[0], a[1]) < 0);
            case "lessorequals": return DValue.Bool(Compare(a[0], a[1]) <= 0);
            case "tolower": return DValue.Str(S(0).ToLowerInvariant());
            case "toupper": return DValue.Str(S(0).ToUpperInvariant());
            case "trim": return DValue.Str(S(0).Trim());
            case "string": return DValue.Str(a[0].TryString() ?? a[0].ToJson());
            case "int": return DValue.Num(Math.Truncate(a[0].TryNumber() ?? throw new FormatException()));
            case "bool": return DValue.Bool(a[0].TryBool() ?? throw new FormatException());
            case "uniquestring": return DValue.Str(UniqueString(a.Select(x => x.TryString() ?? string.Empty)));
            case "guid": return DValue.Str(Uuid5.ArmGuid(a.Select(x => x.TryString() ?? throw new FormatException())));
            case "length": return DValue.Num(a[0].Kind switch { DKind.List => a[0].Items.Count, DKind.Map => a[0].Fields.Count, _ => S(0).Length });
            case "empty": return DValue.Bool(a[0].Kind switch { DKind.List => a[0].Items.Count == 0, DKind.Map => a[0].Fields.Count == 0, DKind.Null => true, _ => S(0).Length == 0 });
            case "contains":
                return DValue.Bool(a[0].Kind switch
                {
                    DKind.List => a[0].Items.Any(i => i.ValueEquals(a[1])),
                    DKind.Map => a[0].Fields.ContainsKey(S(1)),
                    _ => S(0).Contains(S(1), StringComparison.OrdinalIgnoreCase),
                });
            case "createarray": return DValue.List(a);
            case "createobject":
                {
                    var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
                    for (var i = 0; i + 1 < a.Count; i += 2)
                    {
                        map[S(i)] = a[i + 1];
                    }

                    return DValue.Map(map);
                }

            case "union":
                {
                    if (a.All(x => x.Kind == DKind.List))
                    {
                        return DValue.List(a.SelectMany(x => x.Items).ToList());
                    }

                    var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
                    foreach (var m in a)
                    {
                        foreach (var (k, v) in m.Fields)
                        {
                            map[k] = v;
                        }
                    }

                    return DValue.Map(map);
                }

            case "coalesce": return a.FirstOrDefault(x => x.Kind != DKind.Null) ?? DValue.Null;
            case "substring": return DValue.Str(a.Count > 2 ? S(0).Substring((int)a[1].AsNumber, (int)a[2].AsNumber) : S(0)[(int)a[1].AsNumber..]);
            case "replace": return DValue.Str(S(0).Replace(S(1), S(2), StringComparison.Ordinal));
            case "split": return DValue.List(S(0).Split(S(1)).Select(x => DValue.Str(x)).ToList());
            case "first": return a[0].Kind == DKind.List ? a[0].Items.FirstOrDefault() ?? DValue.Null : DValue.Str(S(0)[..1]);
            case "last": return a[0].Kind == DKind.List ? a[0].Items.LastOrDefault() ?? DValue.Null : DValue.Str(S(0)[^1..]);
            case "json": return Json.JsonDocumentParser.Parse(S(0));
            case "add": return DValue.Num(a[0].AsNumber + a[1].AsNumber);
            case "sub": return DValue.Num(a[0].AsNumber - a[1].AsNumber);
            case "mul": return DValue.Num(a[0].AsNumber * a[1].AsNumber);
            case "range": return DValue.List(Enumerable.Range((int)a[0].AsNumber, Math.Min((int)a[1].AsNumber, 10_000)).Select(i => DValue.Num(i)).ToList());
            default:
                return DValue.Unknown(); // reference(), list*(), newGuid(), utcNow() and others need a deployment
        }
    }

    /// <summary>
    /// resourceId([subscriptionId], [resourceGroupName], type, name1, name2...) and its subscription-, tenant- and
    /// extension-scoped forms: the type is the first argument holding a provider namespace ("Microsoft.X/y"), and
    /// its segments interleave with the names. Null when the arguments do not make an ID.
    /// </summary>
    private string? ResourceId(string function, List<string> args)
    {
        var prefix = string.Empty;
        if (function == "extensionresourceid")
        {
            if (args.Count < 1)
            {
                return null;
            }

            prefix = args[0];
            args = args[1..];
        }

        var typeAt = args.FindIndex(p => p.Contains('/', StringComparison.Ordinal) && p.Contains('.', StringComparison.Ordinal));
        if (typeAt < 0 || typeAt > 2)
        {
            return null;
        }

        var type = args[typeAt].Split('/');
        var names = args.Skip(typeAt + 1).ToList();
        if (names.Count != type.Length - 1)
        {
            return null;
        }

        var sb = new StringBuilder();
        switch (function)
        {
            case "resourceid":
                var (sub, rg) = typeAt switch
                {
                    2 => (args[0], args[1]),
                    1 => (Deployment.SubscriptionId, args[0]),
                    _ => (Deployment.SubscriptionId, Deployment.ResourceGroup),
                };
                sb.Append("/subscriptions/").Append(sub).Append("/resourceGroups/").Append(rg);
                break;
            case "subscriptionresourceid":
                sb.Append("/subscriptions/").Append(typeAt == 1 ? args[0] : Deployment.SubscriptionId);
                break;
            default:
                sb.Append(prefix);
                break;
        }

        sb.Append("/providers/").Append(type[0]);
        for (var i = 1; i < type.Length; i++)
        {
            sb.Append('/').Append(type[i]).Append('/').Append(names[i - 1]);
        }

        return sb.ToString();
    }

    private static int Compare(DValue x, DValue y) =>
        x.TryNumber() is { } a && y.TryNumber() is { } b ? a.CompareTo(b) : string.CompareOrdinal(x.TryString(), y.TryString());

    /// <summary>
    /// The expression grammar: call, string literal, number, property access and indexing. It evaluates as it
    /// parses; a lambda body is parsed again for each element it is applied to.
    /// </summary>
    private sealed class ExprParser(string s, ArmExpressionEvaluator owner)
    {
        private int _pos;
        private int _depth;

        public DValue Parse()
        {
            var v = Expr();
            Ws();
            if (_pos != s.Length)
            {
                throw new IacParseException($"unexpected text in template expression '[{s}]'", 0);
            }

            return v;
        }

        /// <summary>The arguments up to the closing parenthesis, separated by commas, then the call.</summary>
        private DValue CallWithArguments(string name)
        {
            var args = new List<DValue>();
            Ws();
            if (_pos < s.Length && s[_pos] == ')')
            {
                _pos++;
            }
            else
            {
                while (true)
                {
                    args.Add(Expr());
                    Ws();
                    if (Accept(','))
                    {
                        continue;
                    }

                    Expect(')');
                    break;
                }
            }

            try
            {
                return owner.Call(name, args);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or IacParseException)
            {
                return DValue.Unknown();
            }
        }

        /// <summary><c>map(array, lambda('x', body))</c>: the body evaluated with <c>lambdaVariables('x')</c> bound to each element.</summary>
        private DValue Map()
        {
            var source = Expr();
            Ws();
            Expect(',');
            Ws();
            var start = _pos;
            while (_pos < s.Length && char.IsLetter(s[_pos]))
            {
                _pos++;
            }

            if (!s[start.._pos].Equals("lambda", StringComparison.OrdinalIgnoreCase))
            {
                throw new IacParseException($"map() takes a lambda in template expression '[{s}]'", 0);
            }

            Ws();
            Expect('(');
            var variable = Expr().TryString() ?? throw new IacParseException($"lambda() needs a variable name in template expression '[{s}]'", 0);
            Ws();
            Expect(',');
            var body = _pos;
            var items = source.Kind == DKind.List ? source.Items : null;
            var results = new List<DValue>();
            var saved = owner._lambdaVariables.GetValueOrDefault(variable);
            try
            {
                // An unknown or empty source still parses the body once, to find where it ends.
                foreach (var item in items is { Count: > 0 } ? items : [DValue.Unknown()])
                {
                    _pos = body;
                    owner._lambdaVariables[variable] = item;
                    results.Add(Expr());
                }
            }
            finally
            {
                if (saved is null)
                {
                    owner._lambdaVariables.Remove(variable);
                }
                else
                {
                    owner._lambdaVariables[variable] = saved;
                }
            }

            Ws();
            Expect(')');
            Ws();
            Expect(')');
            return items is null ? DValue.Unknown() : DValue.List(items.Count == 0 ? [] : results);
        }

        private bool Accept(char c)
        {
            if (_pos < s.Length && s[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            Ws();
            if (!Accept(c))
            {
                throw new IacParseException(_pos < s.Length ? $"expected '{c}' at '{s[_pos]}' in template expression '[{s}]'" : $"missing '{c}' in template expression '[{s}]'", 0);
            }
        }

        private void Ws()
        {
            while (_pos < s.Length && char.IsWhiteSpace(s[_pos]))
            {
                _pos++;
            }
        }

        private DValue Expr()
        {
            if (++_depth > 64)
            {
                throw new IacParseException("template expression nested too deep", 0);
            }

            Ws();
            DValue v;
            if (_pos >= s.Length)
            {
                throw new IacParseException($"unexpected end of template expression '[{s}]'", 0);
            }

            if (s[_pos] == '\'')
            {
                var sb = new StringBuilder();
                _pos++;
                while (true)
                {
                    if (_pos >= s.Length)
                    {
                        throw new IacParseException($"unterminated string in template expression '[{s}]'", 0);
                    }

                    if (s[_pos] == '\'')
                    {
                        if (_pos + 1 < s.Length && s[_pos + 1] == '\'')
                        {
                            sb.Append('\'');
                            _pos += 2;
                            continue;
                        }

                        _pos++;
                        break;
                    }

                    sb.Append(s[_pos++]);
                }

                v = DValue.Str(sb.ToString());
            }
            else if (char.IsDigit(s[_pos]) || s[_pos] == '-')
            {
                var start = _pos++;
                while (_pos < s.Length && (char.IsDigit(s[_pos]) || s[_pos] == '.'))
                {
                    _pos++;
                }

                v = DValue.Num(double.Parse(s.AsSpan(start, _pos - start), CultureInfo.InvariantCulture));
            }
            else if (char.IsLetter(s[_pos]))
            {
                var start = _pos;
                while (_pos < s.Length && (char.IsLetterOrDigit(s[_pos]) || s[_pos] is '_' or '.'))
                {
                    _pos++;
                }

                var name = s[start.._pos];
                Ws();
                if (_pos >= s.Length || s[_pos] != '(')
                {
                    throw new IacParseException($"expected '(' after {name} in template expression '[{s}]'", 0);
                }

                _pos++;
                v = name.Equals("map", StringComparison.OrdinalIgnoreCase) ? Map() : CallWithArguments(name);
            }
            else
            {
                throw new IacParseException($"unexpected '{s[_pos]}' in template expression '[{s}]'", 0);
            }

            while (_pos < s.Length)
            {
                if (s[_pos] == '.')
                {
                    _pos++;
                    var start = _pos;
                    while (_pos < s.Length && (char.IsLetterOrDigit(s[_pos]) || s[_pos] == '_'))
                    {
                        _pos++;
                    }

                    var prop = s[start.._pos];
                    v = v.IsKnown ? v.GetIgnoreCase(prop) ?? DValue.Unknown() : v;
                }
                else if (s[_pos] == '[')
                {
                    _pos++;
                    var key = Expr();
                    Ws();
                    _pos++;
                    v = !v.IsKnown || !key.IsKnown ? DValue.Unknown()
                        : v.Kind == DKind.List ? (key.TryNumber() is { } i && i >= 0 && i < v.Items.Count ? v.Items[(int)i] : DValue.Unknown())
                        : v.GetIgnoreCase(key.TryString() ?? string.Empty) ?? DValue.Unknown();
                }
                else
                {
                    break;
                }
            }

            _depth--;
            return v;
        }
    }
}
