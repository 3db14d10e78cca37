namespace Pipeline.Vulnerabilities.Database;

/// <summary>Where the CLI keeps its vulnerability database unless told otherwise.</summary>
public static class DatabaseLocation
{
    /// <summary>
    /// <c>$PIPELINE_DB</c> when set; else <c>$XDG_CACHE_HOME/pipeline/db/pipeline.db</c>; else
    /// <c>~/.cache/pipeline/db/pipeline.db</c>. This is the one place the default is decided.
    /// </summary>
    public static string Default => Resolve(Environment.GetEnvironmentVariable);

    internal static string Resolve(Func<string, string?> env)
    {
        if (env("PIPELINE_DB") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var cache = env("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(env("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "pipeline", "db", "pipeline.db");
    }
}
