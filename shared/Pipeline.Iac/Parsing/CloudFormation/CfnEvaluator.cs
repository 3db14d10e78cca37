using System.Text.RegularExpressions;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Parsing.CloudFormation;

/// <summary>
/// Evaluates CloudFormation intrinsic functions over a template's values: Ref (parameters with their
/// defaults, pseudo parameters, resources), Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If with the
/// template's Conditions, Fn::Equals/Not/And/Or, Fn::FindInMap over Mappings, Fn::Base64. What depends
/// on a deployed resource (Fn::GetAtt, a resource Ref, Fn::ImportValue, Fn::GetAZs) is unknown and keeps
/// the logical id it refers to.
/// </summary>
internal sealed partial class CfnEvaluator
{
    /// <summary>Marks a property removed by <c>Ref: AWS::NoValue</c>.</summary>
    public static readonly DValue NoValue = DValue.Str("\u0000AWS::NoValue");

    private readonly DValue _template;
    private readonly Dictionary<string, bool?> _conditions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluatingConditions = new(StringComparer.Ordinal);

    public CfnEvaluator(DValue template)
    {
        _template = template;
    }

    [GeneratedRegex(@"\$\{([^}!][^}]*)\}")]
    private static partial Regex SubVariable();

    public DValue Evaluate(DValue v, int depth = 0)
    {
        if (depth > 128)
        {
            throw new IacParseException("intrinsic functions nested too deep", v.Line);
        }

        switch (v.Kind)
        {
            case DKind.List:
                return DValue.List(v.Items.Select(i => Evaluate(i, depth + 1)).Where(i => !ReferenceEquals(i, NoValue)).ToList(), v.Line, v.EndLine);
            case DKind.Map when v.Fields.Count == 1:
                {
                    var (name, arg) = v.Fields.First();
                    if (name == "Ref" || name == "Condition" || name.StartsWith("Fn::", StringComparison.Ordinal))
                    {
                        var result = Function(name, arg, depth + 1);
                        return ReferenceEquals(result, NoValue) ? result : result.At(v.Line, v.EndLine);
                    }

                    goto case DKind.Map;
                }

            case DKind.Map:
                {
                    var map = new Dictionary<string, DValue>(StringComparer.Ordinal);
                    foreach (var (k, item) in v.Fields)
                    {
                        var e = Evaluate(item, depth + 1);
                        if (!ReferenceEquals(e, NoValue))
                        {
                            map[k] = e;
                        }
                    }

                    return DValue.Map(map, v.Line, v.EndLine);
                }

            default:
                return v;
        }
    }

    private DValue Function(string name, DValue arg, int depth)
    {
        switch (name)
        {
            case "Ref":
                return Ref(arg.TryString() ?? string.Empty);
            case "Condition":
                return Condition(arg.TryString() ?? string.Empty) is { } c ? DValue.Bool(c) : DValue.Unknown();
            case "Fn::GetAtt":
                {
                    var target = arg.Kind == DKind.List ? arg.Items.FirstOrDefault()?.TryString() : arg.TryString()?.Split('.')[0];
                    return DValue.Unknown(target);
                }

            case "Fn::ImportValue" or "Fn::GetAZs" or "Fn::Cidr" or "Fn::Transform" or "Fn::GetParam":
                return DValue.Unknown();
            case "Fn::Base64":
                return Evaluate(arg, depth);
            case "Fn::Sub":
                return Sub(arg, depth);
            case "Fn::Join":
                {
                    var a = Evaluate(arg, depth);
                    if (a.Items.Count != 2 || a.Items[0].TryString() is not { } sep || !a.Items[1].IsKnown)
                    {
                        return DValue.Unknown();
                    }

                    var parts = a.Items[1].Items.Select(i => i.TryString()).ToList();
                    return parts.Any(p => p is null) ? DValue.Unknown() : DValue.Str(string.Join(sep, parts));
                }

            case "Fn::Select":
                {
                    var a = Evaluate(arg, depth);
                    if (a.Items.Count != 2 || a.Items[0].TryNumber() is not { } idx || a.Items[1].Kind != DKind.List || idx < 0 || idx >= a.Items[1].Items.Count)
                    {
                        return DValue.Unknown();
                    }

                    return a.Items[1].Items[(int)idx];
                }

            case "Fn::Split":
                {
                    var a = Evaluate(arg, depth);
                    if (a.Items.Count != 2 || a.Items[0].TryString() is not { } sep || a.Items[1].TryString() is not { } s)
                    {
                        return DValue.Unknown();
                    }

                    return DValue.List(s.Split(sep).Select(x => DValue.Str(x)).ToList());
                }

            case "Fn::If":
                {
                    if (arg.Items.Count != 3 || arg.Items[0].TryString() is not { } cond)
                    {
                        return DValue.Unknown();
                    }

                    return Condition(cond) switch
                    {
                        true => Evaluate(arg.Items[1], depth),
                        false => Evaluate(arg.Items[2], depth),
                        null => DValue.Unknown(),
                    };
                }

            case "Fn::Equals" or "Fn::Not" or "Fn::And" or "Fn::Or":
                return ConditionFunction(name, arg, depth) is { } b ? DValue.Bool(b) : DValue.Unknown();
            case "Fn::FindInMap":
                {
                    var a = Evaluate(arg, depth);
                    if (a.Items.Count < 3)
                    {
                        return DValue.Unknown();
                    }

                    var keys = a.Items.Take(3).Select(i => i.TryString()).ToList();
                    if (keys.Any(k => k is null))
                    {
                        return DValue.Unknown();
                    }

                    var found = _template.Get("Mappings")?.Get(keys[0]!)?.Get(keys[1]!)?.Get(keys[2]!);
                    return found is null ? (a.Items.Count > 3 ? a.Items[3].Get("DefaultValue") ?? DValue.Unknown() : DValue.Unknown()) : Evaluate(found, depth);
                }

            default:
                return DValue.Unknown();
        }
    }

    private DValue Ref(string name)
    {
        switch (name)
        {
            case "AWS::NoValue":
                return NoValue;
            case "AWS::Region" or "AWS::AccountId" or "AWS::StackName" or "AWS::StackId" or "AWS::Partition" or "AWS::URLSuffix" or "AWS::NotificationARNs":
                return DValue.Unknown();
        }

        if (_template.Get("Parameters")?.Get(name) is { } p)
        {
            // A parameter's value comes at deploy time; its Default is what the template states will be used otherwise.
            return p.Get("Default") is { } d ? Evaluate(d) : DValue.Unknown("parameter:" + name);
        }

        return DValue.Unknown(name);
    }

    private bool? Condition(string name)
    {
        if (_conditions.TryGetValue(name, out var cached))
        {
            return cached;
        }

        if (_template.Get("Conditions")?.Get(name) is not { } body || _evaluatingConditions.Count > 100 || !_evaluatingConditions.Add(name))
        {
            return null;
        }

        try
        {
            var value = Evaluate(body).TryBool();
            _conditions[name] = value;
            return value;
        }
        finally
        {
            _evaluatingConditions.Remove(name);
        }
    }

    private bool? ConditionFunction(string name, DValue arg, int depth)
    {
        var a = Evaluate(arg, depth);
        switch (name)
        {
            case "Fn::Equals":
                if (a.Items.Count != 2 || !a.Items[0].IsKnown || !a.Items[1].IsKnown)
                {
                    return null;
                }

                return a.Items[0].ValueEquals(a.Items[1]);
            case "Fn::Not":
                return a.Items.Count == 1 ? !a.Items[0].TryBool() : null;
            case "Fn::And":
                {
                    var values = a.Items.Select(i => i.TryBool()).ToList();
                    return values.Any(v => v == false) ? false : values.All(v => v == true) ? true : null;
                }

            default:
                {
                    var values = a.Items.Select(i => i.TryBool()).ToList();
                    return values.Any(v => v == true) ? true : values.All(v => v == false) ? false : null;
                }
        }
    }

    private DValue Sub(DValue arg, int depth)
    {
        string? template;
        DValue vars = DValue.Map([]);
        if (arg.Kind == DKind.List && arg.Items.Count == 2)
        {
            template = arg.Items[0].TryString();
            vars = Evaluate(arg.Items[1], depth);
        }
        else
        {
            template = arg.TryString();
        }

        if (template is null)
        {
            return DValue.Unknown();
        }

        var unknown = false;
        var result = SubVariable().Replace(template, m =>
        {
            var key = m.Groups[1].Value;
            var value = vars.Get(key) ?? (key.Contains('.', StringComparison.Ordinal) ? DValue.Unknown(key.Split('.')[0]) : Ref(key));
            if (value.TryString() is { } s)
            {
                return s;
            }

            unknown = true;
            return string.Empty;
        });
        return unknown ? DValue.Unknown() : DValue.Str(result.Replace("${!", "${", StringComparison.Ordinal));
    }

    /// <summary>Rewrites YAML short-form tags (<c>!Ref x</c>, <c>!GetAtt a.b</c>, <c>!Sub ...</c>) into their long forms.</summary>
    public static DValue ShortTag(string tag, DValue value, int line)
    {
        var name = tag[1..];
        var key = name switch
        {
            "Ref" => "Ref",
            "Condition" => "Condition",
            _ => "Fn::" + name,
        };
        if (name == "GetAtt" && value.TryString() is { } s)
        {
            var dot = s.IndexOf('.', StringComparison.Ordinal);
            value = DValue.List(dot < 0 ? [DValue.Str(s)] : [DValue.Str(s[..dot]), DValue.Str(s[(dot + 1)..])], line);
        }

        return DValue.Map(new Dictionary<string, DValue>(StringComparer.Ordinal) { [key] = value }, line, Math.Max(line, value.EndLine));
    }
}
