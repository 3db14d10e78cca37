namespace Pipeline.Iac.Model;

/// <summary>
/// A resource of the provider model: an S3 bucket is an <c>aws.s3.bucket</c> whether it came from
/// Terraform, a plan, CloudFormation, ARM or Bicep. Adapters fill <see cref="Props"/> under canonical
/// names, marking each value explicit, defaulted (with the default's source) or unresolved.
/// </summary>
internal sealed class ModelResource
{
    public ModelResource(string kind, string address, string file, int startLine, int endLine)
    {
        Kind = kind;
        Address = address;
        File = file;
        StartLine = startLine;
        EndLine = endLine;
    }

    /// <summary>The canonical kind, e.g. <c>aws.s3.bucket</c>; see the constants under Model/.</summary>
    public string Kind { get; }

    /// <summary>The address shown to users (<c>aws_s3_bucket.logs</c>, <c>Microsoft.Storage/storageAccounts/st</c>).</summary>
    public string Address { get; }

    /// <summary>The file relative to the scanned path.</summary>
    public string File { get; }

    public int StartLine { get; }

    public int EndLine { get; }

    /// <summary>The format-native resource type (<c>aws_s3_bucket</c>, <c>AWS::S3::Bucket</c>).</summary>
    public string NativeType { get; init; } = string.Empty;

    public Dictionary<string, IacValue<DValue>> Props { get; } = new(StringComparer.Ordinal);

    /// <summary>A typed model for formats whose checks read structure rather than properties (Dockerfile).</summary>
    public object? Payload { get; init; }

    public IacValue<DValue> Get(string prop) =>
        Props.TryGetValue(prop, out var v) ? v : new IacValue<DValue>(null, ValueOrigin.Absent, null, null, StartLine, EndLine);

    public IacValue<bool> Bool(string prop) => Convert(Get(prop), v => v.TryBool());

    public IacValue<string> Str(string prop) => Convert(Get(prop), v => v.TryString());

    public IacValue<double> Num(string prop) => ConvertStruct(Get(prop), v => v.TryNumber());

    public void Set(string prop, DValue? value, string sourceName, string? defaultSource = null, DValue? defaultValue = null, string? file = null, (int Line, int EndLine)? defaultAt = null)
    {
        if (value is not null && value.Kind != DKind.Null)
        {
            var origin = value.ContainsUnknown() ? ValueOrigin.Unresolved : ValueOrigin.Explicit;
            Props[prop] = new IacValue<DValue>(value, origin, sourceName, null, value.Line == 0 ? StartLine : value.Line, value.Line == 0 ? EndLine : value.EndLine)
            {
                File = file is null || file == File ? null : file,
            };
        }
        else if (defaultValue is not null)
        {
            // A default applied by an attachment resource (a public access block leaving a flag out) points at that resource.
            var (line, end) = defaultAt ?? (StartLine, EndLine);
            Props[prop] = new IacValue<DValue>(defaultValue, ValueOrigin.Default, sourceName, defaultSource, line, end)
            {
                File = file is null || file == File ? null : file,
            };
        }
    }

    private static IacValue<T> Convert<T>(IacValue<DValue> v, Func<DValue, T?> f)
        where T : class?
    {
        if (!v.IsKnown || v.Value is null)
        {
            return new IacValue<T>(default, v.Origin, v.SourceName, v.DefaultSource, v.Line, v.EndLine) { File = v.File };
        }

        var t = f(v.Value);
        return t is null
            ? new IacValue<T>(default, ValueOrigin.Unresolved, v.SourceName, null, v.Line, v.EndLine) { File = v.File }
            : new IacValue<T>(t, v.Origin, v.SourceName, v.DefaultSource, v.Line, v.EndLine) { File = v.File };
    }

    private static IacValue<bool> Convert(IacValue<DValue> v, Func<DValue, bool?> f) => ConvertStruct(v, f);

    private static IacValue<T> ConvertStruct<T>(IacValue<DValue> v, Func<DValue, T?> f)
        where T : struct
    {
        if (!v.IsKnown || v.Value is null)
        {
            return new IacValue<T>(default, v.Origin, v.SourceName, v.DefaultSource, v.Line, v.EndLine) { File = v.File };
        }

        var t = f(v.Value);
        return t is null
            ? new IacValue<T>(default, ValueOrigin.Unresolved, v.SourceName, null, v.Line, v.EndLine) { File = v.File }
            : new IacValue<T>(t.Value, v.Origin, v.SourceName, v.DefaultSource, v.Line, v.EndLine) { File = v.File };
    }
}
