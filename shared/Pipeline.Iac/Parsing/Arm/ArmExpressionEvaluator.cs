using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Arm;

/// <summary>
/// Evaluates ARM template language expressions (<c>"[concat(parameters('a'), 'b')]"</c>): parameters()
/// with their defaultValue, variables(), the string, logical and comparison functions, resourceId,
/// resourceGroup(), uniqueString (deterministic, so a scan is repeatable), copyIndex inside copy loops.
/// reference(), list*() and anything else that needs a deployment are unknown.
/// </summary>
internal sealed class ArmExpressionEvaluator
{
    private readonly DValue _template;
    private readonly IReadOnlyDictionary<string, DValue> _parameterValues;
    private readonly Dictionary<string, DValue> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _evaluatingVariables = new(StringComparer.OrdinalIgnoreCase);

    public ArmExpressionEvaluator(DValue template, IReadOnlyDictionary<string, DValue>? parameterValues = null)
    {
        _template = template;
        _parameterValues = parameterValues ?? new Dictionary<string, DValue>();
    }

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
                    ["name"] = DValue.Str("resourceGroup"),
                    ["location"] = DValue.Str("resourceGroupLocation"),
                    ["id"] = DValue.Str("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup"),
                });
            case "subscription":
                return DValue.Map(new()
                {
                    ["subscriptionId"] = DValue.Str("00000000-0000-0000-0000-000000000000"),
                    ["id"] = DValue.Str("/subscriptions/00000000-0000-0000-0000-000000000000"),
                });
            case "deployment": return DValue.Map(new() { ["name"] = DValue.Str("deployment") });
            case "environment": return DValue.Map(new() { ["name"] = DValue.Str("AzureCloud") });
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

            case "resourceid":
                {
                    var parts = a.Select(x => x.TryString() ?? string.Empty).ToList();
                    var typeIndex = parts.FindIndex(p => p.Contains('/', StringComparison.Ordinal) && p.Contains('.', StringComparison.Ordinal));
                    if (typeIndex < 0)
                    {
                        return DValue.Unknown();
                    }

                    var type = parts[typeIndex].Split('/');
                    var names = parts.Skip(typeIndex + 1).ToList();
                    var sb = new StringBuilder("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers/").Append(type[0]);
                    for (var i = 1; i < type.Length; i++)
                    {
                        sb.Append('/').Append(type[i]).Append('/').Append(i - 1 < names.Count ? names[i - 1] : string.Empty);
                    }

                    return DValue.Str(sb.ToString());
                }

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
            case "guid": return DValue.Str(new Guid(MD5.HashData(Encoding.UTF8.GetBytes(string.Join("|", a.Select(x => x.TryString()))))).ToString());
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

    private static int Compare(DValue x, DValue y) =>
        x.TryNumber() is { } a && y.TryNumber() is { } b ? a.CompareTo(b) : string.CompareOrdinal(x.TryString(), y.TryString());

    /// <summary>The expression grammar: call, string literal, number, property access and indexing.</summary>
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
                var args = new List<DValue>();
                Ws();
                while (_pos < s.Length && s[_pos] != ')')
                {
                    args.Add(Expr());
                    Ws();
                    if (_pos < s.Length && s[_pos] == ',')
                    {
                        _pos++;
                    }
                }

                if (_pos >= s.Length)
                {
                    throw new IacParseException($"missing ')' in template expression '[{s}]'", 0);
                }

                _pos++;
                try
                {
                    v = owner.Call(name, args);
                }
                catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or IacParseException)
                {
                    v = DValue.Unknown();
                }
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
