namespace Pipeline.Vulnerabilities.Database;

/// <summary>The SQLite layout of a compiled database. Bump <see cref="Version"/> on any change a reader must know of.</summary>
/// <remarks>
/// Version 2: each <c>affected</c> row carries everything a finding needs from its advisory (id, title, aliases,
/// references, vectors, rating) and stores ranges and versions in the compact text form of
/// <see cref="Matching.AffectedRanges.Encode"/> instead of JSON. Matching reads <c>affected</c> alone, in
/// (ecosystem, name) order: no lookup per advisory, which in a fresh process costs a random page read each.
/// <c>advisories</c> keeps each record's own texts.
/// </remarks>
internal static class DatabaseSchema
{
    public const int Version = 2;

    public const string Create = """
        CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE ecosystems (name TEXT PRIMARY KEY, advisories INTEGER NOT NULL);
        CREATE TABLE advisories (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            summary TEXT,
            published TEXT,
            modified TEXT,
            details TEXT);            -- last: it can be pages long
        CREATE TABLE affected (
            advisory INTEGER NOT NULL REFERENCES advisories(rowid),
            id TEXT NOT NULL,         -- the advisory's id (advisories.id), for ordering and de-duplicating without a join
            ecosystem TEXT NOT NULL,  -- with release suffix: Debian:12, Alpine:v3.20
            name TEXT NOT NULL,       -- normalized (PEP 503 for PyPI, lower-case for NuGet and Packagist)
            ranges TEXT,              -- ECOSYSTEM and SEMVER ranges, one a line: E|S, then TAB kind-letter version per event (AffectedRanges.Encode)
            versions TEXT,            -- explicitly affected versions, one a line
            severity TEXT,            -- JSON array of per-package severity vectors
            ecosystem_severity TEXT,  -- ecosystem_specific / database_specific severity or urgency
            title TEXT NOT NULL,      -- the advisory's summary, else the first line of its details
            aliases TEXT,             -- the advisory's aliases and upstream ids, one a line
            refs TEXT,                -- the advisory's reference URLs, one a line
            advisory_severity TEXT,   -- the advisory's JSON array of {type, score} (CVSS_V3, CVSS_V4, Ubuntu, …)
            advisory_rating TEXT);    -- the advisory's database_specific.severity (GitHub's rating)
        """;

    /// <summary>Rows are first written here in record order, then copied into <c>affected</c> sorted.</summary>
    public const string CreateStaging = "CREATE TEMP TABLE affected_staging AS SELECT * FROM affected WHERE 0;";

    /// <summary>
    /// Copies the staged rows sorted by (ecosystem, name), so one package's statements share pages and a
    /// lookup reads a few pages instead of one per advisory; then builds the index, which is faster once
    /// at the end than maintained during the bulk insert.
    /// </summary>
    public const string Finish = """
        INSERT INTO affected SELECT * FROM affected_staging ORDER BY ecosystem, name, advisory;
        DROP TABLE affected_staging;
        CREATE INDEX affected_ecosystem_name ON affected(ecosystem, name);
        """;
}
