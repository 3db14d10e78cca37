using System.Globalization;
using System.Text;

namespace Pipeline.Iac.Model;

/// <summary>The kinds of value a parsed and evaluated IaC document can hold.</summary>
internal enum DKind
{
    Null,
    Bool,
    Number,
    String,
    List,
    Map,

    /// <summary>A value that evaluation could not determine (a computed attribute, a missing input).</summary>
    Unknown,
}

/// <summary>
/// One document value, shared by every format after parsing and evaluation: HCL after evaluation,
/// JSON, YAML, ARM after template functions. Each value keeps the lines it was written on so a finding
/// can point at it. Unknown values may carry the address they refer to (<c>aws_s3_bucket.b</c>) so
/// adapters can link resources to each other.
/// </summary>
internal sealed class DValue
{
    public static readonly DValue Null = new(DKind.Null, null);
    public static readonly DValue True = new(DKind.Bool, true);
    public static readonly DValue False = new(DKind.Bool, false);
    public static readonly DValue UnknownValue = new(DKind.Unknown, null);

    private DValue(DKind kind, object? raw, int line = 0, int endLine = 0, string? reference = null)
    {
        Kind = kind;
        Raw = raw;
        Line = line;
        EndLine = endLine == 0 ? line : endLine;
        Reference = reference;
    }

    public DKind Kind { get; }

    public object? Raw { get; }

    public int Line { get; }

    public int EndLine { get; }

    /// <summary>For unknown values: the resource address the value came from, when known.</summary>
    public string? Reference { get; }

    public bool IsKnown => Kind != DKind.Unknown;

    /// <summary>Set by the Terraform evaluator on a resource's evaluated object: the address it belongs to.</summary>
    internal string? Address { get; set; }

    public static DValue Str(string s, int line = 0, int endLine = 0) => new(DKind.String, s, line, endLine);

    public static DValue Num(double d, int line = 0, int endLine = 0) => new(DKind.Number, d, line, endLine);

    public static DValue Bool(bool b, int line = 0, int endLine = 0) =>
        line == 0 ? (b ? True : False) : new(DKind.Bool, b, line, endLine);

    public static DValue List(List<DValue> items, int line = 0, int endLine = 0) => new(DKind.List, items, line, endLine);

    public static DValue Map(Dictionary<string, DValue> map, int line = 0, int endLine = 0) => new(DKind.Map, map, line, endLine);

    public static DValue Unknown(string? reference = null, int line = 0, int endLine = 0) =>
        reference is null && line == 0 ? UnknownValue : new(DKind.Unknown, null, line, endLine, reference);

    public static DValue NullAt(int line, int endLine = 0) => new(DKind.Null, null, line, endLine);

    /// <summary>The same value placed at other lines (the lines of the expression that produced it).</summary>
    public DValue At(int line, int endLine)
    {
        if (line == 0 || (line == Line && endLine == EndLine))
        {
            return this;
        }

        return new DValue(Kind, Raw, line, endLine, Reference);
    }

    public bool AsBool => Raw is bool b && b;

    public double AsNumber => Raw is double d ? d : 0;

    public string AsString => Raw as string ?? string.Empty;

    public IReadOnlyList<DValue> Items => Raw as List<DValue> ?? (IReadOnlyList<DValue>)[];

    public IReadOnlyDictionary<string, DValue> Fields =>
        Raw as Dictionary<string, DValue> ?? (IReadOnlyDictionary<string, DValue>)EmptyFields;

    private static readonly Dictionary<string, DValue> EmptyFields = new(StringComparer.Ordinal);

    /// <summary>A field of a map (case-sensitive), or null.</summary>
    public DValue? Get(string key) =>
        Kind == DKind.Map && ((Dictionary<string, DValue>)Raw!).TryGetValue(key, out var v) ? v : null;

    /// <summary>A field of a map ignoring case (CloudFormation and ARM property names are case-insensitive in practice).</summary>
    public DValue? GetIgnoreCase(string key)
    {
        if (Kind != DKind.Map)
        {
            return null;
        }

        var map = (Dictionary<string, DValue>)Raw!;
        if (map.TryGetValue(key, out var v))
        {
            return v;
        }

        foreach (var (k, value) in map)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Follows a dotted path; a list on the way is entered at its first element (HCL nested blocks).</summary>
    public DValue? Path(string path, bool ignoreCase = false)
    {
        var current = this;
        foreach (var part in path.Split('.'))
        {
            while (current.Kind == DKind.List)
            {
                if (current.Items.Count == 0)
                {
                    return null;
                }

                current = current.Items[0];
            }

            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _) && current.Kind != DKind.Map)
            {
                continue;
            }

            var next = ignoreCase ? current.GetIgnoreCase(part) : current.Get(part);
            if (next is null)
            {
                return current.Kind == DKind.Unknown ? current : null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>The value as a list: a list's items, a single value as one item, null as none.</summary>
    public IReadOnlyList<DValue> AsList() => Kind switch
    {
        DKind.List => Items,
        DKind.Null => [],
        _ => [this],
    };

    /// <summary>True when the value is a known scalar that reads as true ("true", true, 1).</summary>
    public bool? TryBool() => Kind switch
    {
        DKind.Bool => AsBool,
        DKind.String when bool.TryParse(AsString, out var b) => b,
        DKind.Number => AsNumber != 0,
        _ => null,
    };

    public string? TryString() => Kind switch
    {
        DKind.String => AsString,
        DKind.Number => AsNumber.ToString(CultureInfo.InvariantCulture),
        DKind.Bool => AsBool ? "true" : "false",
        _ => null,
    };

    public double? TryNumber() => Kind switch
    {
        DKind.Number => AsNumber,
        DKind.String when double.TryParse(AsString, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>True when this value or anything inside it is unknown.</summary>
    public bool ContainsUnknown() => Kind switch
    {
        DKind.Unknown => true,
        DKind.List => Items.Any(i => i.ContainsUnknown()),
        DKind.Map => Fields.Values.Any(v => v.ContainsUnknown()),
        _ => false,
    };

    public bool ValueEquals(DValue other)
    {
        if (Kind != other.Kind)
        {
            return Kind is DKind.Number or DKind.String && other.Kind is DKind.Number or DKind.String
                && TryString() == other.TryString();
        }

        return Kind switch
        {
            DKind.Null => true,
            DKind.Bool => AsBool == other.AsBool,
            DKind.Number => AsNumber.Equals(other.AsNumber),
            DKind.String => AsString == other.AsString,
            DKind.List => Items.Count == other.Items.Count && Items.Zip(other.Items).All(p => p.First.ValueEquals(p.Second)),
            DKind.Map => Fields.Count == other.Fields.Count
                && Fields.All(kv => other.Fields.TryGetValue(kv.Key, out var o) && kv.Value.ValueEquals(o)),
            _ => false,
        };
    }

    /// <summary>JSON text of the value (unknowns become null); used by jsonencode and policy documents.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder();
        WriteJson(sb);
        return sb.ToString();
    }

    private static void AppendJsonString(StringBuilder sb, string text) =>
        sb.Append('"').Append(System.Text.Json.JsonEncodedText.Encode(text).Value).Append('"');

    private void WriteJson(StringBuilder sb)
    {
        switch (Kind)
        {
            case DKind.Bool: sb.Append(AsBool ? "true" : "false"); break;
            case DKind.Number: sb.Append(AsNumber.ToString(CultureInfo.InvariantCulture)); break;
            case DKind.String: AppendJsonString(sb, AsString); break;
            case DKind.List:
                sb.Append('[');
                for (var i = 0; i < Items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Items[i].WriteJson(sb);
                }

                sb.Append(']');
                break;
            case DKind.Map:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in Fields)
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    AppendJsonString(sb, k);
                    sb.Append(':');
                    v.WriteJson(sb);
                }

                sb.Append('}');
                break;
            default: sb.Append("null"); break;
        }
    }

    public override string ToString() => Kind switch
    {
        DKind.String => AsString,
        DKind.Unknown => Reference is null ? "(unknown)" : $"(unknown: {Reference})",
        _ => ToJson(),
    };
}
