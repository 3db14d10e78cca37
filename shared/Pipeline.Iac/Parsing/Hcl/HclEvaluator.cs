using System.Globalization;
using System.Text;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.Hcl;

/// <summary>
/// Evaluates HCL expressions to <see cref="DValue"/>s. What cannot be known without applying (computed
/// attributes, data sources, missing inputs) becomes <see cref="DKind.Unknown"/> and spreads through the
/// operations that use it, exactly as Terraform's "known after apply" does.
/// </summary>
internal static class HclEvaluator
{
    private const int MaxResultItems = 100_000;

    public static DValue Evaluate(HclExpr expr, HclScope scope) => Eval(expr, scope, null, 0).At(expr.Line, expr.EndLine);

    private static DValue Eval(HclExpr expr, HclScope scope, DValue? splatItem, int depth)
    {
        if (depth > 256)
        {
            throw new IacParseException("expression nesting too deep", expr.Line);
        }

        depth++;
        switch (expr)
        {
            case LiteralExpr l:
                return l.Value;
            case TemplateExpr t:
                return EvalTemplate(t, scope, splatItem, depth);
            case SplatItemExpr:
                return splatItem ?? DValue.Unknown();
            case VariableExpr v:
                return scope.Local(v.Name) ?? scope.Roots.Resolve(v.Name, null, out _) ?? DValue.Unknown(v.Name);
            case GetAttrExpr g:
                {
                    if (g.Source is GetAttrExpr { Source: VariableExpr { Name: "data" } } dataType && scope.Local("data") is null)
                    {
                        return scope.Roots.Resolve("data", dataType.Name + "." + g.Name, out _) ?? DValue.Unknown($"data.{dataType.Name}.{g.Name}");
                    }

                    if (g.Source is VariableExpr root && scope.Local(root.Name) is null)
                    {
                        var resolved = scope.Roots.Resolve(root.Name, g.Name, out var consumed);
                        if (resolved is null)
                        {
                            return DValue.Unknown($"{root.Name}.{g.Name}");
                        }

                        return consumed ? resolved : Attr(resolved, g.Name);
                    }

                    return Attr(Eval(g.Source, scope, splatItem, depth), g.Name);
                }

            case IndexExpr i:
                return Index(Eval(i.Source, scope, splatItem, depth), Eval(i.Key, scope, splatItem, depth));
            case SplatExpr s:
                {
                    var source = Eval(s.Source, scope, splatItem, depth);
                    if (source.Kind == DKind.Unknown)
                    {
                        return source;
                    }

                    var items = source.Kind switch
                    {
                        DKind.List => source.Items,
                        DKind.Null => [],
                        _ => [source],
                    };
                    return DValue.List(items.Select(item => Eval(s.Each, scope, item, depth)).ToList());
                }

            case CallExpr c:
                return CallFunction(c, scope, splatItem, depth);
            case ConditionalExpr c:
                {
                    var cond = Eval(c.Condition, scope, splatItem, depth);
                    var b = cond.TryBool();
                    if (b is null)
                    {
                        return DValue.Unknown(cond.Reference);
                    }

                    return b.Value ? Eval(c.Then, scope, splatItem, depth) : Eval(c.Else, scope, splatItem, depth);
                }

            case BinaryExpr b:
                return Binary(b.Op, Eval(b.Left, scope, splatItem, depth), () => Eval(b.Right, scope, splatItem, depth));
            case UnaryExpr u:
                {
                    var v = Eval(u.Operand, scope, splatItem, depth);
                    if (!v.IsKnown)
                    {
                        return v;
                    }

                    return u.Op == "!" ? DValue.Bool(!(v.TryBool() ?? false)) : DValue.Num(-(v.TryNumber() ?? 0));
                }

            case TupleExpr t:
                return DValue.List(t.Items.Select(i => Eval(i, scope, splatItem, depth).At(i.Line, i.EndLine)).ToList(), t.Line, t.EndLine);
            case ObjectExpr o:
                {
                    var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
                    foreach (var (k, v) in o.Items)
                    {
                        var key = Eval(k, scope, splatItem, depth);
                        if (key.TryString() is not { } ks)
                        {
                            return DValue.Unknown();
                        }

                        map[ks] = Eval(v, scope, splatItem, depth).At(v.Line, v.EndLine);
                    }

                    return DValue.Map(map, o.Line, o.EndLine);
                }

            case ForExpr f:
                return EvalFor(f, scope, splatItem, depth);
            default:
                throw new InvalidOperationException($"unhandled expression {expr.GetType().Name}");
        }
    }

    /// <summary>Attribute access; a missing attribute of a resource object is unknown (computed at apply time).</summary>
    public static DValue Attr(DValue source, string name)
    {
        switch (source.Kind)
        {
            case DKind.Map:
                return source.Get(name) ?? DValue.Unknown(ResourceRefs.AddressOf(source));
            case DKind.Unknown:
                return source;
            case DKind.List when source.Items.Count > 0 && ResourceRefs.AddressOf(source) is { } listAddr:
                return DValue.Unknown(listAddr);
            default:
                return DValue.Unknown();
        }
    }

    public static DValue Index(DValue source, DValue key)
    {
        if (!source.IsKnown || !key.IsKnown)
        {
            return DValue.Unknown(source.Reference);
        }

        if (source.Kind == DKind.List)
        {
            var i = (int)(key.TryNumber() ?? -1);
            return i >= 0 && i < source.Items.Count ? source.Items[i] : DValue.Unknown();
        }

        if (source.Kind == DKind.Map && key.TryString() is { } k)
        {
            return source.Get(k) ?? DValue.Unknown(ResourceRefs.AddressOf(source));
        }

        return DValue.Unknown();
    }

    private static DValue EvalTemplate(TemplateExpr t, HclScope scope, DValue? splatItem, int depth)
    {
        // A template that is a single interpolation keeps the value's type ("${var.list}" is a list).
        if (t.Parts is [TemplateInterpolation only])
        {
            return Eval(only.Expr, scope, splatItem, depth);
        }

        var sb = new StringBuilder();
        return AppendParts(t.Parts, scope, splatItem, depth, sb) is { } unknown ? unknown : DValue.Str(sb.ToString());
    }

    private static DValue? AppendParts(IReadOnlyList<TemplatePart> parts, HclScope scope, DValue? splatItem, int depth, StringBuilder sb)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case TemplateLiteral l:
                    sb.Append(l.Text);
                    break;
                case TemplateInterpolation i:
                    {
                        var v = Eval(i.Expr, scope, splatItem, depth);
                        if (v.TryString() is not { } s)
                        {
                            return DValue.Unknown(v.Reference);
                        }

                        sb.Append(s);
                        break;
                    }

                case TemplateIf f:
                    {
                        var c = Eval(f.Condition, scope, splatItem, depth).TryBool();
                        if (c is null)
                        {
                            return DValue.Unknown();
                        }

                        if (AppendParts(c.Value ? f.Then : f.Else, scope, splatItem, depth, sb) is { } u)
                        {
                            return u;
                        }

                        break;
                    }

                case TemplateFor f:
                    {
                        var coll = Eval(f.Collection, scope, splatItem, depth);
                        if (!coll.IsKnown)
                        {
                            return DValue.Unknown();
                        }

                        foreach (var (k, v) in Pairs(coll))
                        {
                            var inner = f.KeyVar is null ? scope.With(f.ValueVar, v) : scope.With(new Dictionary<string, DValue> { [f.KeyVar] = k, [f.ValueVar] = v });
                            if (AppendParts(f.Body, inner, splatItem, depth, sb) is { } u)
                            {
                                return u;
                            }

                            if (sb.Length > 10_000_000)
                            {
                                throw new IacParseException("template output too large", 0);
                            }
                        }

                        break;
                    }
            }
        }

        return null;
    }

    /// <summary>The (key, value) pairs of a collection: index and item for lists, key and value for maps.</summary>
    public static IEnumerable<(DValue Key, DValue Value)> Pairs(DValue coll)
    {
        if (coll.Kind == DKind.List)
        {
            for (var i = 0; i < coll.Items.Count; i++)
            {
                yield return (DValue.Num(i), coll.Items[i]);
            }
        }
        else if (coll.Kind == DKind.Map)
        {
            foreach (var (k, v) in coll.Fields.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                yield return (DValue.Str(k), v);
            }
        }
    }

    private static DValue EvalFor(ForExpr f, HclScope scope, DValue? splatItem, int depth)
    {
        var coll = Eval(f.Collection, scope, splatItem, depth);
        if (!coll.IsKnown)
        {
            return DValue.Unknown(coll.Reference);
        }

        var list = new List<DValue>();
        var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<DValue>>(StringComparer.Ordinal);
        foreach (var (k, v) in Pairs(coll))
        {
            var inner = f.KeyVar is null ? scope.With(f.ValueVar, v) : scope.With(new Dictionary<string, DValue> { [f.KeyVar] = k, [f.ValueVar] = v });
            if (f.Condition is not null)
            {
                var c = Eval(f.Condition, inner, splatItem, depth).TryBool();
                if (c is null)
                {
                    return DValue.Unknown();
                }

                if (!c.Value)
                {
                    continue;
                }
            }

            var value = Eval(f.ValueExpr, inner, splatItem, depth);
            if (f.KeyExpr is null)
            {
                list.Add(value);
            }
            else
            {
                if (Eval(f.KeyExpr, inner, splatItem, depth).TryString() is not { } key)
                {
                    return DValue.Unknown();
                }

                if (f.Grouping)
                {
                    if (!groups.TryGetValue(key, out var g))
                    {
                        groups[key] = g = [];
                    }

                    g.Add(value);
                }
                else
                {
                    map[key] = value;
                }
            }

            if (list.Count + map.Count > MaxResultItems)
            {
                throw new IacParseException("for expression result too large", f.Line);
            }
        }

        if (f.KeyExpr is null)
        {
            return DValue.List(list);
        }

        if (f.Grouping)
        {
            foreach (var (k, g) in groups)
            {
                map[k] = DValue.List(g);
            }
        }

        return DValue.Map(map);
    }

    private static DValue Binary(string op, DValue left, Func<DValue> rightThunk)
    {
        // && and || short-circuit on a known left side, like Terraform 1.x does for known booleans.
        if (op == "&&" && left.TryBool() == false)
        {
            return DValue.False;
        }

        if (op == "||" && left.TryBool() == true)
        {
            return DValue.True;
        }

        var right = rightThunk();
        if (!left.IsKnown || !right.IsKnown)
        {
            return DValue.Unknown(left.Reference ?? right.Reference);
        }

        switch (op)
        {
            case "&&": return DValue.Bool((left.TryBool() ?? false) && (right.TryBool() ?? false));
            case "||": return DValue.Bool((left.TryBool() ?? false) || (right.TryBool() ?? false));
            case "==": return DValue.Bool(left.ValueEquals(right));
            case "!=": return DValue.Bool(!left.ValueEquals(right));
        }

        if (left.TryNumber() is not { } a || right.TryNumber() is not { } b)
        {
            return DValue.Unknown();
        }

        return op switch
        {
            "<" => DValue.Bool(a < b),
            ">" => DValue.Bool(a > b),
            "<=" => DValue.Bool(a <= b),
            ">=" => DValue.Bool(a >= b),
            "+" => DValue.Num(a + b),
            "-" => DValue.Num(a - b),
            "*" => DValue.Num(a * b),
            "/" => b == 0 ? DValue.Unknown() : DValue.Num(a / b),
            "%" => b == 0 ? DValue.Unknown() : DValue.Num(a % b),
            _ => DValue.Unknown(),
        };
    }

    private static DValue CallFunction(CallExpr c, HclScope scope, DValue? splatItem, int depth)
    {
        var name = c.Name;
        if (name is "try" or "can")
        {
            foreach (var arg in c.Args)
            {
                DValue v;
                try
                {
                    v = Eval(arg, scope, splatItem, depth);
                }
                catch (IacParseException)
                {
                    continue;
                }

                if (name == "can")
                {
                    return v.IsKnown ? DValue.True : DValue.Unknown();
                }

                if (v.IsKnown && !v.ContainsUnknown())
                {
                    return v;
                }
            }

            return name == "can" ? DValue.False : DValue.Unknown();
        }

        var args = new List<DValue>(c.Args.Count);
        foreach (var a in c.Args)
        {
            args.Add(Eval(a, scope, splatItem, depth));
        }

        if (c.ExpandLast && args.Count > 0)
        {
            var last = args[^1];
            args.RemoveAt(args.Count - 1);
            if (!last.IsKnown)
            {
                return DValue.Unknown();
            }

            args.AddRange(last.Items);
        }

        return HclFunctions.Call(name, args);
    }
}

/// <summary>Marks evaluated resource objects with their address, so a missing (computed) attribute stays linked to its resource.</summary>
internal static class ResourceRefs
{
    public static DValue Mark(DValue value, string address)
    {
        value.Address = address;
        return value;
    }

    public static string? AddressOf(DValue value) => value.Address;
}

internal static class HclText
{
    public static string Format(string format, IReadOnlyList<DValue> args)
    {
        var sb = new StringBuilder();
        var argIndex = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var ch = format[i];
            if (ch != '%')
            {
                sb.Append(ch);
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                sb.Append('%');
                i++;
                continue;
            }

            // Skip flags/width/precision, then the verb.
            var j = i + 1;
            while (j < format.Length && !char.IsLetter(format[j]))
            {
                j++;
            }

            if (j >= format.Length || argIndex >= args.Count)
            {
                break;
            }

            var verb = format[j];
            var spec = format[(i + 1)..j];
            var arg = args[argIndex++];
            var text = verb switch
            {
                'd' => ((long)(arg.TryNumber() ?? 0)).ToString(CultureInfo.InvariantCulture),
                'q' => "\"" + arg.TryString() + "\"",
                'v' when arg.Kind is DKind.List or DKind.Map => arg.ToJson(),
                _ => arg.TryString() ?? arg.ToJson(),
            };
            var widthText = spec.TrimStart('0', '-', '+', ' ');
            if (int.TryParse(widthText, NumberStyles.None, CultureInfo.InvariantCulture, out var width))
            {
                text = spec.StartsWith('-') ? text.PadRight(width) : text.PadLeft(width, spec.StartsWith('0') ? '0' : ' ');
            }

            sb.Append(text);
            i = j;
        }

        return sb.ToString();
    }
}
