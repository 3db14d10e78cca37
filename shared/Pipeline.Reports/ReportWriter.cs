using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Core;
using Pipeline.Core.Reports;

namespace Pipeline.Reports;

/// <summary>Writes scan reports in every format. One report per platform; several become <c>results[]</c> (JSON) or runs (SARIF).</summary>
public static class ReportWriter
{
    public static async Task WriteAsync(IReadOnlyList<ScanReport> reports, ReportFormat format, Stream output, CancellationToken cancellationToken = default)
    {
        switch (format)
        {
            case ReportFormat.Json:
                if (reports.Count == 1)
                {
                    await JsonSerializer.SerializeAsync(output, reports[0], PipelineJson.TypeInfo<ScanReport>(PipelineJson.Options), cancellationToken);
                }
                else
                {
                    var multi = new MultiScanReport
                    {
                        Name = reports.FirstOrDefault()?.Artifact.Name ?? string.Empty,
                        IndexDigest = reports.FirstOrDefault()?.Artifact.IndexDigest,
                        Results = [.. reports],
                    };
                    await JsonSerializer.SerializeAsync(output, multi, PipelineJson.TypeInfo<MultiScanReport>(PipelineJson.Options), cancellationToken);
                }

                break;
            case ReportFormat.Sarif:
                await JsonNodeWriting.WriteAsync(SarifWriter.Create(reports), output, cancellationToken);
                break;
            case ReportFormat.CycloneDx:
                if (reports.Count == 1)
                {
                    await JsonNodeWriting.WriteAsync(CycloneDxWriter.Create(reports[0]), output, cancellationToken);
                }
                else
                {
                    // One BOM per platform would be several documents; CycloneDX has no list, so emit a JSON array of BOMs.
                    await JsonNodeWriting.WriteAsync(new JsonArray([.. reports.Select(r => (JsonNode)CycloneDxWriter.Create(r))]), output, cancellationToken);
                }

                break;
            default:
                var text = TableWriter.Render(reports);
                await output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
                break;
        }

        await output.FlushAsync(cancellationToken);
    }

    /// <summary>The report rendered as a string, for webhooks, tests and blobs.</summary>
    public static string ToText(IReadOnlyList<ScanReport> reports, ReportFormat format)
    {
        using var ms = new MemoryStream();
        WriteAsync(reports, format, ms).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
