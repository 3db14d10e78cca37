namespace Pipeline.Engine;

/// <summary>What a scan looks for (<c>--scanners vuln,secret,config</c>).</summary>
[Flags]
public enum Scanners
{
    None = 0,
    Vuln = 1,
    Secret = 2,
    Config = 4,
    All = Vuln | Secret | Config,
}

public static class ScannerNames
{
    /// <summary>Parses a comma-separated list; throws <see cref="FormatException"/> naming an unknown scanner.</summary>
    public static Scanners Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Scanners.All;
        }

        var result = Scanners.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= part.ToLowerInvariant() switch
            {
                "vuln" or "vulnerability" or "vulnerabilities" => Scanners.Vuln,
                "secret" or "secrets" => Scanners.Secret,
                "config" or "misconfig" or "misconfiguration" => Scanners.Config,
                _ => throw new FormatException($"Unknown scanner '{part}' (expected vuln, secret, config)."),
            };
        }

        return result;
    }
}
