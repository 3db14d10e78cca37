using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Core.Model;

/// <summary>How bad a finding is. A closed set: every detector maps its own scale onto these.</summary>
[JsonConverter(typeof(SeverityJsonConverter))]
public enum Severity
{
    Unknown = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>Parsing and formatting of <see cref="Severity"/> as users type it (case-insensitive names).</summary>
public static class SeverityNames
{
    public static bool TryParse(string? text, out Severity severity)
    {
        severity = Severity.Unknown;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        switch (text.Trim().ToUpperInvariant())
        {
            case "UNKNOWN": severity = Severity.Unknown; return true;
            case "LOW": severity = Severity.Low; return true;
            case "MEDIUM" or "MODERATE": severity = Severity.Medium; return true;
            case "HIGH" or "IMPORTANT": severity = Severity.High; return true;
            case "CRITICAL": severity = Severity.Critical; return true;
            default: return false;
        }
    }

    public static string ToUpper(this Severity severity) => severity.ToString().ToUpperInvariant();
}

/// <summary>Writes severities upper-case (<c>HIGH</c>) as Trivy and Grype users expect; reads any case.</summary>
public sealed class SeverityJsonConverter : JsonConverter<Severity>
{
    public override Severity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return SeverityNames.TryParse(text, out var s) ? s : throw new JsonException($"Unknown severity '{text}'.");
    }

    public override void Write(Utf8JsonWriter writer, Severity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUpper());
}
