using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Vulnerabilities.Osv;

/// <summary>One OSV record (ossf/osv-schema); only the fields matching needs. Unknown fields are ignored.</summary>
internal sealed record OsvRecord
{
    public string? Id { get; init; }

    public string? Summary { get; init; }

    public string? Details { get; init; }

    public List<string>? Aliases { get; init; }

    /// <summary>OSV 1.7: the upstream ids this record derives from (Debian and Alpine put the CVE here, not in aliases).</summary>
    public List<string>? Upstream { get; init; }

    public string? Published { get; init; }

    public string? Modified { get; init; }

    public string? Withdrawn { get; init; }

    public List<OsvSeverity>? Severity { get; init; }

    public List<OsvAffected>? Affected { get; init; }

    public List<OsvReference>? References { get; init; }

    public JsonElement? DatabaseSpecific { get; init; }
}

internal sealed record OsvAffected
{
    public OsvPackage? Package { get; init; }

    public List<OsvSeverity>? Severity { get; init; }

    public List<OsvRange>? Ranges { get; init; }

    public List<string>? Versions { get; init; }

    public JsonElement? EcosystemSpecific { get; init; }

    public JsonElement? DatabaseSpecific { get; init; }
}

internal sealed record OsvPackage
{
    public string? Ecosystem { get; init; }

    public string? Name { get; init; }

    public string? Purl { get; init; }
}

internal sealed record OsvRange
{
    public string? Type { get; init; }

    public List<OsvEvent>? Events { get; init; }
}

internal sealed record OsvEvent
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Introduced { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Fixed { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastAffected { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Limit { get; init; }
}

internal sealed record OsvSeverity
{
    public string? Type { get; init; }

    public string? Score { get; init; }
}

internal sealed record OsvReference
{
    public string? Type { get; init; }

    public string? Url { get; init; }
}

/// <summary>Source-generated (de)serialization: OSV is snake_case; building 200,000 records must not reflect.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 64)]
[JsonSerializable(typeof(OsvRecord))]
[JsonSerializable(typeof(List<OsvSeverity>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
internal sealed partial class OsvJsonContext : JsonSerializerContext;
