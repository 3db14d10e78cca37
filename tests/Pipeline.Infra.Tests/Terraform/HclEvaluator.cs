using System.Globalization;
using System.Net;
using System.Text;

namespace Pipeline.Infra.Tests.Terraform;

/// <summary>A value Terraform only knows after apply (a resource attribute such as an ID).</summary>
internal sealed class Unknown
{
    public static readonly Unknown Value = new();

    private Unknown()
    {
    }

    public override string ToString() => "(known after apply)";
}

/// <summary>An object whose attributes are computed on demand (locals, data sources).</summary>
internal interface ILazyObject
{
    object? Get(string name);
}

/// <summary>
/// Evaluates HCL expressions the way Terraform would at plan time for the parts that are known then:
/// variables, locals, each/count, data-source values given by the test, and the functions the stack uses.
/// Resource attributes evaluate to <see cref="Unknown"/>, which propagates.
/// </summary>
internal sealed class HclEvaluator(Func<string, object?> root)
{
    private int depth;

    public object? Evaluate(HclExpr expr)
    {
        if (++depth > 256)
        {
            throw new InvalidOperationException("Expression evaluation nested too deeply.");
        }

        try
        {
            return Eval(expr);
        }
        finally
        {
            depth--;
        }
    }

    private object? Eval(HclExpr expr) => expr switch
    {
        HclExpr.Literal l => l.Value,
        HclExpr.Template t => Template(t),
        HclExpr.Variable v => root(v.Name),
        HclExpr.GetAttr g => Attribute(Evaluate(g.Target), g.Name),
        HclExpr.IndexOf i => Index(Evaluate(i.Target), Evaluate(i.Key)),
        HclExpr.Splat s => Evaluate(s.Target) is List<object?> list ? list : Unknown.Value,
        HclExpr.Tuple t => t.Items.Select(Evaluate).ToList(),
        HclExpr.Object o => ObjectOf(o),
        HclExpr.Unary { Op: "!" } u => Evaluate(u.Operand) is bool b ? !b : Unknown.Value,
        HclExpr.Unary u => Evaluate(u.Operand) is decimal d ? -d : Unknown.Value,
        HclExpr.Binary b => Binary(b),
        HclExpr.Conditional c => Evaluate(c.Condition) switch
        {
            true => Evaluate(c.Then),
            false => Evaluate(c.Else),
            _ => Unknown.Value,
        },
        HclExpr.For f => For(f),
        HclExpr.Call c => Call(c.Name, c.Args.Select(Evaluate).ToList()),
        _ => throw new NotSupportedException(expr.GetType().Name),
    };

    private object? Template(HclExpr.Template t)
    {
        var sb = new StringBuilder();
        foreach (var part in t.Parts)
        {
            if (part is string s)
            {
                sb.Append(s);
                continue;
            }

            var value = Evaluate((HclExpr)part);
            if (value is Unknown)
            {
                return Unknown.Value;
            }

            sb.Append(AsString(value));
        }

        return sb.ToString();
    }

    private SortedDictionary<string, object?> ObjectOf(HclExpr.Object o)
    {
        var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in o.Items)
        {
            result[AsString(Evaluate(k))] = Evaluate(v);
        }

        return result;
    }

    private object? For(HclExpr.For f)
    {
        var source = Evaluate(f.Collection);
        if (source is Unknown)
        {
            return Unknown.Value;
        }

        IEnumerable<(object? Key, object? Value)> items = source switch
        {
            List<object?> list => list.Select((v, i) => ((object?)(decimal)i, v)),
            SortedDictionary<string, object?> map => map.Select(kv => ((object?)kv.Key, kv.Value)),
            _ => throw new FormatException("for expression over a non-collection."),
        };

        var list2 = new List<object?>();
        var map2 = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            var inner = new HclEvaluator(name => name == f.ValueVar ? value : name == f.KeyVar ? key : root(name));
            if (f.Filter is not null && inner.Evaluate(f.Filter) is not true)
            {
                continue;
            }

            if (f.IsObject)
            {
                map2[AsString(inner.Evaluate(f.KeyExpr!))] = inner.Evaluate(f.ValueExpr);
            }
            else
            {
                list2.Add(inner.Evaluate(f.ValueExpr));
            }
        }

        return f.IsObject ? map2 : list2;
    }

    private object? Binary(HclExpr.Binary b)
    {
        if (b.Op is "&&" or "||")
        {
            var left = Evaluate(b.Left);
            if (b.Op == "&&" && left is false)
            {
                return false;
            }

            if (b.Op == "||" && left is true)
            {
                return true;
            }

            var right = Evaluate(b.Right);
            return left is bool && right is bool r ? r : Unknown.Value;
        }

        var l = Evaluate(b.Left);
        var rr = Evaluate(b.Right);
        if (l is Unknown || rr is Unknown)
        {
            return Unknown.Value;
        }

        return b.Op switch
        {
            "==" => ValueEquals(l, rr),
            "!=" => !ValueEquals(l, rr),
            "<" => AsNumber(l) < AsNumber(rr),
            ">" => AsNumber(l) > AsNumber(rr),
            "<=" => AsNumber(l) <= AsNumber(rr),
            ">=" => AsNumber(l) >= AsNumber(rr),
            "+" => AsNumber(l) + AsNumber(rr),
            "-" => AsNumber(l) - AsNumber(rr),
            "*" => AsNumber(l) * AsNumber(rr),
            "/" => AsNumber(l) / AsNumber(rr),
            "%" => AsNumber(l) % AsNumber(rr),
            _ => throw new NotSupportedException(b.Op),
        };
    }

    private static object? Attribute(object? target, string name) => target switch
    {
        Unknown => Unknown.Value,
        ILazyObject lazy => lazy.Get(name),
        SortedDictionary<string, object?> map => map.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"No attribute '{name}'."),
        _ => throw new FormatException($"Attribute '{name}' of a non-object."),
    };

    private static object? Index(object? target, object? key) => (target, key) switch
    {
        (Unknown, _) or (_, Unknown) => Unknown.Value,
        (List<object?> list, _) => list[(int)AsNumber(key)],
        (SortedDictionary<string, object?> map, _) => map.TryGetValue(AsString(key), out var v) ? v : throw new KeyNotFoundException($"No key '{key}'."),
        _ => throw new FormatException("Index into a non-collection."),
    };

    private static object? Call(string name, List<object?> a)
    {
        // Functions never evaluated for names (validation helpers, encoders) are left out on purpose.
        if (a.Any(x => x is Unknown) && name is not ("merge" or "concat" or "tolist" or "length"))
        {
            return Unknown.Value;
        }

        return name switch
        {
            "lower" => AsString(a[0]).ToLowerInvariant(),
            "upper" => AsString(a[0]).ToUpperInvariant(),
            "split" => AsString(a[1]).Split(AsString(a[0])).Cast<object?>().ToList(),
            "join" => string.Join(AsString(a[0]), AsList(a[1]).Select(AsString)),
            "replace" => AsString(a[0]).Replace(AsString(a[1]), AsString(a[2]), StringComparison.Ordinal),
            "substr" => Substr(AsString(a[0]), (int)AsNumber(a[1]), (int)AsNumber(a[2])),
            "startswith" => AsString(a[0]).StartsWith(AsString(a[1]), StringComparison.Ordinal),
            "format" => Format(AsString(a[0]), a.Skip(1).ToList()),
            "uuidv5" => Uuid5.Create(AsString(a[0]), AsString(a[1])),
            "concat" => a.SelectMany(AsList).ToList(),
            "tolist" => AsList(a[0]),

            // Terraform sets of strings iterate in lexical order, without duplicates.
            "toset" => AsList(a[0]).Select(AsString).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Cast<object?>().ToList(),
            "contains" => AsList(a[0]).Any(x => ValueEquals(x, a[1])),
            "length" => a[0] switch
            {
                Unknown => Unknown.Value,
                List<object?> l => (decimal)l.Count,
                SortedDictionary<string, object?> m => m.Count,
                _ => (decimal)AsString(a[0]).Length,
            },
            "merge" => Merge(a),
            "keys" => AsMap(a[0]).Keys.Cast<object?>().ToList(),
            "values" => AsMap(a[0]).Values.ToList(),
            "lookup" => AsMap(a[0]).TryGetValue(AsString(a[1]), out var v) ? v : a.Count > 2 ? a[2] : throw new KeyNotFoundException(AsString(a[1])),
            "element" => AsList(a[0])[(int)AsNumber(a[1]) % AsList(a[0]).Count],
            "cidrsubnet" => CidrSubnet(AsString(a[0]), (int)AsNumber(a[1]), (int)AsNumber(a[2])),
            _ => throw new NotSupportedException($"Terraform function {name}() is not supported by this evaluator."),
        };
    }

    private static object? Merge(List<object?> maps)
    {
        if (maps.Any(m => m is Unknown))
        {
            return Unknown.Value;
        }

        var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var m in maps)
        {
            foreach (var (k, v) in AsMap(m))
            {
                result[k] = v;
            }
        }

        return result;
    }

    private static string Substr(string s, int offset, int length) =>
        length < 0 ? s[offset..] : s.Substring(offset, Math.Min(length, s.Length - offset));

    private static string Format(string format, List<object?> args)
    {
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '%' && i + 1 < format.Length)
            {
                var verb = format[++i];
                sb.Append(verb switch
                {
                    '%' => "%",
                    's' or 'v' => AsString(args[next++]),
                    'd' => ((long)AsNumber(args[next++])).ToString(CultureInfo.InvariantCulture),
                    _ => throw new NotSupportedException($"format verb %{verb}"),
                });
            }
            else
            {
                sb.Append(format[i]);
            }
        }

        return sb.ToString();
    }

    private static string CidrSubnet(string prefix, int newBits, int netNum)
    {
        var parts = prefix.Split('/');
        var bytes = IPAddress.Parse(parts[0]).GetAddressBytes();
        var length = int.Parse(parts[1], CultureInfo.InvariantCulture) + newBits;
        var address = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        address |= (uint)netNum << (32 - length);
        return $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{length}";
    }

    public static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (decimal x, decimal y) => x == y,
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => ValueEquals(p.First, p.Second)),
        _ => Equals(a, b),
    };

    public static string AsString(object? v) => v switch
    {
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        null => throw new FormatException("null used as a string."),
        Unknown => throw new FormatException("value not known before apply used as a string."),
        _ => throw new FormatException($"{v.GetType().Name} used as a string."),
    };

    public static decimal AsNumber(object? v) => v switch
    {
        decimal d => d,
        string s => decimal.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new FormatException("Expected a number."),
    };

    public static List<object?> AsList(object? v) => v switch
    {
        List<object?> l => l,
        Unknown => [Unknown.Value],
        _ => throw new FormatException("Expected a list."),
    };

    public static SortedDictionary<string, object?> AsMap(object? v) => v as SortedDictionary<string, object?> ?? throw new FormatException("Expected a map.");
}
