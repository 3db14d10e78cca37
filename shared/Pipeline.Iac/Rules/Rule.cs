using Pipeline.Core.Model;
using Pipeline.Iac.Model;

namespace Pipeline.Iac.Rules;

/// <summary>One violation found by a rule on one resource.</summary>
internal readonly record struct RuleHit(string Message, bool Defaulted, int StartLine, int EndLine)
{
    /// <summary>Set when the offending value sits in another file than the resource (an attachment resource).</summary>
    public string? File { get; init; }
}

/// <summary>A rule: its catalogue entry, the model kinds it reads, and the check itself.</summary>
internal sealed class Rule
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public Severity Severity { get; init; }

    public required string Provider { get; init; }

    public required string Service { get; init; }

    /// <summary>The canonical model kinds this rule checks.</summary>
    public required IReadOnlyList<string> Kinds { get; init; }

    public required string Description { get; init; }

    public required string Remediation { get; init; }

    public string? DefaultNote { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public IReadOnlyList<string> References { get; init; } = [];

    public required Func<ModelResource, IEnumerable<RuleHit>> Check { get; init; }

    /// <summary>The factory every provider's rule list uses; <paramref name="kinds"/> is comma-separated.</summary>
    public static Rule Define(string provider, string id, string service, string kinds, Severity severity, string title, string description, string remediation,
        Func<ModelResource, IEnumerable<RuleHit>> check, string? defaultNote, string[]? aliases) => new()
        {
            Id = id,
            Title = title,
            Severity = severity,
            Provider = provider,
            Service = service,
            Kinds = kinds.Split(','),
            Description = description,
            Remediation = remediation,
            DefaultNote = defaultNote,
            Aliases = aliases ?? [],
            Check = check,
        };
}

/// <summary>Helpers that turn model values into hits with the "default" wording the issue asks for.</summary>
internal static class Hits
{
    /// <summary>A hit located at the value; says when the value is the default because the setting was left out.</summary>
    public static RuleHit At<T>(IacValue<T> value, string message)
    {
        var text = value.Defaulted
            ? $"{message} (the default when {value.SourceName ?? "the setting"} is not set{(value.DefaultSource is null ? string.Empty : "; " + value.DefaultSource)})"
            : message;
        return new RuleHit(text, value.Defaulted, value.Line, value.EndLine) { File = value.File };
    }

    public static RuleHit At(DValue value, ModelResource r, string message) =>
        new(message, false, value.Line == 0 ? r.StartLine : value.Line, value.Line == 0 ? r.EndLine : value.EndLine);

    public static RuleHit AtResource(ModelResource r, string message) => new(message, false, r.StartLine, r.EndLine);

    /// <summary>Fires when the boolean is known and false.</summary>
    public static IEnumerable<RuleHit> WhenFalse(ModelResource r, string prop, string message)
    {
        var v = r.Bool(prop);
        if (v.IsKnown && !v.Value)
        {
            yield return At(v, message);
        }
    }

    /// <summary>Fires when the boolean is known and true.</summary>
    public static IEnumerable<RuleHit> WhenTrue(ModelResource r, string prop, string message)
    {
        var v = r.Bool(prop);
        if (v.IsKnown && v.Value)
        {
            yield return At(v, message);
        }
    }

    /// <summary>Fires when the string is known and matches.</summary>
    public static IEnumerable<RuleHit> WhenString(ModelResource r, string prop, Func<string, bool> insecure, string message)
    {
        var v = r.Str(prop);
        if (v.IsKnown && v.Value is not null && insecure(v.Value))
        {
            yield return At(v, message);
        }
    }

    /// <summary>Fires when the value is known to be absent-or-empty per the adapter's default (a list or string that is empty).</summary>
    public static IEnumerable<RuleHit> WhenEmpty(ModelResource r, string prop, string message)
    {
        var v = r.Get(prop);
        if (v.IsKnown && v.Value is { } d && IsEmpty(d))
        {
            yield return At(v, message);
        }
    }

    public static bool IsEmpty(DValue d) => d.Kind switch
    {
        DKind.Null => true,
        DKind.String => d.AsString.Length == 0,
        DKind.List => d.Items.Count == 0,
        DKind.Map => d.Fields.Count == 0,
        _ => false,
    };
}
