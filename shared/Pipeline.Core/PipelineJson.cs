using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Pipeline.Core.Analysis;
using Pipeline.Core.Reports;

namespace Pipeline.Core;

/// <summary>The one JSON shape used for reports, cache entries and messages: camelCase, enums as strings.</summary>
/// <remarks>
/// Reports and layer analyses are described by source-generated metadata (<see cref="PipelineJsonContext"/>), so the
/// command-line tool runs as a native (ahead-of-time compiled) binary. Where reflection is available (the function
/// app, tests) any other type serializes with the same options through the reflection resolver.
/// </remarks>
public static class PipelineJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    /// <summary>The metadata for <typeparamref name="T"/> under <paramref name="options"/> (one of the two above).</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = PipelineJsonContext.Default,
        };
        // Severities upper-case as Trivy and Grype print them; every other enum camelCase.
        o.Converters.Add(new Model.SeverityJsonConverter());
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            AddReflection(o);
        }

        o.MakeReadOnly();
        return o;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Runs only where reflection-based serialization is enabled (not in the native CLI).")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Runs only where reflection-based serialization is enabled (not in the native CLI).")]
    private static void AddReflection(JsonSerializerOptions o)
    {
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.TypeInfoResolver = JsonTypeInfoResolver.Combine(PipelineJsonContext.Default, new DefaultJsonTypeInfoResolver());
    }
}

/// <summary>Source-generated metadata for the documents the command-line tool reads and writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScanReport))]
[JsonSerializable(typeof(MultiScanReport))]
[JsonSerializable(typeof(LayerAnalysis))]
internal sealed partial class PipelineJsonContext : JsonSerializerContext;
