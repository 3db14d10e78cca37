namespace Pipeline.Vulnerabilities.Database;

/// <summary>What a compiled database states about itself (the <c>metadata</c> and <c>ecosystems</c> tables).</summary>
public sealed record DatabaseMetadata
{
    public required int SchemaVersion { get; init; }

    /// <summary>When the database was built (UTC).</summary>
    public required DateTimeOffset BuiltAt { get; init; }

    /// <summary>The paths or URLs the records were read from.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    public required long Advisories { get; init; }

    /// <summary>Records that could not be read and were skipped.</summary>
    public required long Malformed { get; init; }

    /// <summary>Withdrawn records, skipped on purpose.</summary>
    public required long Withdrawn { get; init; }

    /// <summary>Records whose id was already read from an earlier source; the first one is kept.</summary>
    public required long Duplicates { get; init; }

    /// <summary>Advisories per OSV ecosystem (with its release suffix, e.g. <c>Debian:12</c>).</summary>
    public required IReadOnlyDictionary<string, long> Ecosystems { get; init; }
}

/// <summary>The outcome of a build: its metadata and the warnings (one per malformed record, capped).</summary>
public sealed record DatabaseBuildResult(DatabaseMetadata Metadata, IReadOnlyList<string> Warnings);
