namespace Pipeline.Reports;

/// <summary>The output formats every scan command offers.</summary>
public enum ReportFormat
{
    Table,
    Json,
    Sarif,
    CycloneDx,
}

public static class ReportFormats
{
    public static bool TryParse(string? text, out ReportFormat format)
    {
        format = ReportFormat.Table;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "table": format = ReportFormat.Table; return true;
            case "json": format = ReportFormat.Json; return true;
            case "sarif": format = ReportFormat.Sarif; return true;
            case "cyclonedx" or "cdx": format = ReportFormat.CycloneDx; return true;
            default: return false;
        }
    }
}
