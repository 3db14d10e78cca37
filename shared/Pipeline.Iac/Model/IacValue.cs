namespace Pipeline.Iac.Model;

/// <summary>Where a model value came from.</summary>
internal enum ValueOrigin
{
    /// <summary>Not written and no default is known for it in this format's layer.</summary>
    Absent,

    /// <summary>Written in the template (possibly through variables that resolved).</summary>
    Explicit,

    /// <summary>Left out; the value is the default applied by the layer that deploys it (provider schema, API version, service).</summary>
    Default,

    /// <summary>Written, but evaluation could not determine it. Never produces a finding by itself.</summary>
    Unresolved,
}

/// <summary>
/// One value of the provider model with its origin. For <see cref="ValueOrigin.Default"/> the
/// <see cref="DefaultSource"/> says which layer applied the default and where it is documented.
/// </summary>
internal readonly record struct IacValue<T>(T? Value, ValueOrigin Origin, string? SourceName, string? DefaultSource, int Line, int EndLine)
{
    /// <summary>The file the value was written in when it is not the resource's own (an attachment resource in another file).</summary>
    public string? File { get; init; }

    public bool IsKnown => Origin is ValueOrigin.Explicit or ValueOrigin.Default;

    public bool Defaulted => Origin == ValueOrigin.Default;

    /// <summary>True when the value is known and satisfies the predicate; unresolved and absent values never match.</summary>
    public bool Is(Func<T, bool> predicate) => IsKnown && Value is not null && predicate(Value);
}
