using Pipeline.Iac.Model;

namespace Pipeline.Iac.Adapters;

/// <summary>What a left-out property defaults to in one format's layer, and where that is documented.</summary>
internal readonly record struct DefaultValue(DValue Value, string Source);

/// <summary>
/// One canonical model property read from a format-native path. <see cref="Default"/> states the default
/// the deploying layer applies when the path is absent (it may look at the resource and the API version,
/// because ARM defaults change between API versions).
/// </summary>
internal sealed record Prop(string Name, string Path)
{
    /// <summary>Converts the native value into the canonical one ("Enabled" into true, and so on).</summary>
    public Func<DValue, DValue>? Transform { get; init; }

    /// <summary>The default when the path is absent; receives the resource's attributes and the ARM API version (null elsewhere).</summary>
    public Func<DValue, string?, DefaultValue?>? Default { get; init; }

    /// <summary>The value is whether the path is present (a logging block, an encryption block).</summary>
    public bool Presence { get; init; }

    /// <summary>Older or newer names of the same setting, read when <see cref="Path"/> is absent.</summary>
    public IReadOnlyList<string> AltPaths { get; init; } = [];
}

/// <summary>A native resource type and the canonical kind it adapts to, with its properties.</summary>
internal sealed record KindMapping(string NativeType, string Kind, IReadOnlyList<Prop> Props);

/// <summary>Builds model resources from format-native attributes through <see cref="KindMapping"/> tables.</summary>
internal static class PropertyMap
{
    public static Prop P(string name, string path) => new(name, path);

    /// <summary>A property with a fixed documented default.</summary>
    public static Prop P(string name, string path, object defaultValue, string source) =>
        new(name, path) { Default = (_, _) => new DefaultValue(ToD(defaultValue), source) };

    public static Prop Present(string name, string path, string source) =>
        new(name, path) { Presence = true, Default = (_, _) => new DefaultValue(DValue.False, source) };

    public static DValue ToD(object value) => value switch
    {
        bool b => DValue.Bool(b),
        string s => DValue.Str(s),
        int i => DValue.Num(i),
        double d => DValue.Num(d),
        DValue d => d,
        string[] list => DValue.List(list.Select(x => DValue.Str(x)).ToList()),
        _ => throw new ArgumentException($"unsupported default {value.GetType()}", nameof(value)),
    };

    /// <summary>Maps "Enabled"/"Disabled" style strings to booleans.</summary>
    public static DValue EnabledString(DValue v) => v.TryString() is { } s
        ? DValue.Bool(s.Equals("Enabled", StringComparison.OrdinalIgnoreCase) || s.Equals("true", StringComparison.OrdinalIgnoreCase), v.Line, v.EndLine)
        : v;

    public static ModelResource Build(KindMapping map, string address, string file, int startLine, int endLine, DValue attrs, bool ignoreCase, string? apiVersion = null)
    {
        var r = new ModelResource(map.Kind, address, file, startLine, endLine) { NativeType = map.NativeType };
        Apply(r, map.Props, attrs, ignoreCase, apiVersion, file);
        return r;
    }

    /// <summary>Reads each property; explicit values win, otherwise the layer's default is recorded with its source.</summary>
    public static void Apply(ModelResource r, IEnumerable<Prop> props, DValue attrs, bool ignoreCase, string? apiVersion, string? file, (int Line, int EndLine)? defaultAt = null)
    {
        foreach (var prop in props)
        {
            var value = attrs.Path(prop.Path, ignoreCase);
            foreach (var alt in prop.AltPaths)
            {
                value ??= attrs.Path(alt, ignoreCase);
            }

            if (value is not null && value.Kind == DKind.List && value.Items.Count == 0 && prop.Presence)
            {
                value = null;
            }

            if (prop.Presence && value is not null)
            {
                value = value.IsKnown ? DValue.Bool(true, value.Line, value.EndLine) : value;
            }
            else if (value is not null && value.IsKnown && prop.Transform is not null)
            {
                value = prop.Transform(value).At(value.Line, value.EndLine);
            }

            if (value is not null && value.Kind != DKind.Null)
            {
                r.Set(prop.Name, value, prop.Path, file: file);
            }
            else if (prop.Default?.Invoke(attrs, apiVersion) is { } d)
            {
                r.Set(prop.Name, null, prop.Path, d.Source, d.Value, file, defaultAt);
            }
        }
    }

    /// <summary>Compares ARM API versions (<c>2023-01-01</c>, <c>2021-04-01-preview</c>) by their date part.</summary>
    public static bool ApiAtLeast(string? apiVersion, string minimum) =>
        apiVersion is not null && string.CompareOrdinal(apiVersion.Length >= 10 ? apiVersion[..10] : apiVersion, minimum) >= 0;
}
