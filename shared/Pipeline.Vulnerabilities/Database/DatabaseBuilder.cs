using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Vulnerabilities.Ecosystems;
using Pipeline.Vulnerabilities.Matching;
using Pipeline.Vulnerabilities.Osv;

namespace Pipeline.Vulnerabilities.Database;

/// <summary>
/// Compiles OSV records into one SQLite file. Records are streamed one at a time and written in a single
/// transaction with prepared commands; malformed records are counted, named in a warning and skipped;
/// withdrawn records are skipped. The file is written beside the output and moved over it only when
/// complete, so a failed build leaves the previous database untouched.
/// </summary>
public sealed class DatabaseBuilder(TimeProvider time)
{
    /// <summary>Warnings kept per build; beyond this only the count grows (hostile input stays bounded).</summary>
    public const int MaxWarnings = 1000;

    /// <summary>Builds <paramref name="output"/> from every OSV document under <paramref name="sources"/>.</summary>
    /// <param name="sources">Directories, <c>.json</c> files or osv.dev <c>all.zip</c> files.</param>
    /// <param name="output">The database file to create or replace.</param>
    /// <param name="sourceLabels">What to record as the sources in the metadata (URLs for a download); defaults to <paramref name="sources"/>.</param>
    /// <param name="cancellationToken">Stops the build; the output is then left as it was.</param>
    public DatabaseBuildResult Build(IReadOnlyList<string> sources, string output, IReadOnlyList<string>? sourceLabels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentException.ThrowIfNullOrEmpty(output);
        foreach (var source in sources)
        {
            if (!Directory.Exists(source) && !File.Exists(source))
            {
                throw new FileNotFoundException($"OSV source '{source}' does not exist.", source);
            }
        }

        var fullOutput = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(fullOutput)!);
        var temp = fullOutput + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            DatabaseBuildResult result;
            using (var writer = new Writer(temp))
            {
                foreach (var source in sources)
                {
                    foreach (var entry in OsvSource.Enumerate(source))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        writer.Add(entry);
                    }
                }

                result = writer.Finish(sourceLabels ?? sources, time.GetUtcNow());
            }

            File.Move(temp, fullOutput, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>One build's open connection, prepared commands and counters.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteTransaction transaction;
        private readonly SqliteCommand insertAdvisory;
        private readonly SqliteCommand insertAffected;
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> ecosystems = new(StringComparer.Ordinal);
        private readonly List<string> warnings = [];
        private readonly HashSet<string> recordEcosystems = new(StringComparer.Ordinal);
        private long advisories;
        private long malformed;
        private long withdrawn;
        private long duplicates;

        public Writer(string path)
        {
            // No pooling: the file must be closed before it is moved into place.
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
            connection.Open();

            // The file is a temporary one moved into place only when complete, so durability during the
            // build buys nothing; journaling off roughly halves the build time.
            Execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;");
            Execute(DatabaseSchema.Create);
            Execute(DatabaseSchema.CreateStaging);
            transaction = connection.BeginTransaction();
            insertAdvisory = Prepare(
                "INSERT INTO advisories (rowid, id, summary, published, modified, details) VALUES ($rowid, $id, $summary, $published, $modified, $details)",
                "$rowid", "$id", "$summary", "$published", "$modified", "$details");
            insertAffected = Prepare(
                "INSERT INTO affected_staging (advisory, id, ecosystem, name, ranges, versions, severity, ecosystem_severity, title, aliases, refs, advisory_severity, advisory_rating) VALUES ($advisory, $id, $ecosystem, $name, $ranges, $versions, $severity, $ecosev, $title, $aliases, $refs, $advsev, $advrating)",
                "$advisory", "$id", "$ecosystem", "$name", "$ranges", "$versions", "$severity", "$ecosev", "$title", "$aliases", "$refs", "$advsev", "$advrating");
        }

        public void Add(OsvSource.Entry entry)
        {
            OsvRecord? record;
            try
            {
                record = Read(entry);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException or NotSupportedException)
            {
                Malformed(entry.Name, ex.Message);
                return;
            }

            if (record is null || string.IsNullOrWhiteSpace(record.Id))
            {
                Malformed(entry.Name, "the record has no id");
                return;
            }

            if (!string.IsNullOrEmpty(record.Withdrawn))
            {
                withdrawn++;
                return;
            }

            if (!seen.Add(record.Id))
            {
                duplicates++;
                return;
            }

            Insert(record);
        }

        public DatabaseBuildResult Finish(IReadOnlyList<string> sources, DateTimeOffset builtAt)
        {
            using (var eco = Prepare("INSERT INTO ecosystems (name, advisories) VALUES ($name, $count)", "$name", "$count"))
            {
                foreach (var (name, count) in ecosystems)
                {
                    eco.Parameters[0].Value = name;
                    eco.Parameters[1].Value = count;
                    eco.ExecuteNonQuery();
                }
            }

            var metadata = new DatabaseMetadata
            {
                SchemaVersion = DatabaseSchema.Version,
                BuiltAt = builtAt,
                Sources = sources,
                Advisories = advisories,
                Malformed = malformed,
                Withdrawn = withdrawn,
                Duplicates = duplicates,
                Ecosystems = ecosystems,
            };
            using (var meta = Prepare("INSERT INTO metadata (key, value) VALUES ($key, $value)", "$key", "$value"))
            {
                foreach (var (key, value) in MetadataStore.ToRows(metadata))
                {
                    meta.Parameters[0].Value = key;
                    meta.Parameters[1].Value = value;
                    meta.ExecuteNonQuery();
                }
            }

            Execute(DatabaseSchema.Finish);
            transaction.Commit();
            Execute("ANALYZE;");
            return new DatabaseBuildResult(metadata, warnings);
        }

        public void Dispose()
        {
            insertAdvisory.Dispose();
            insertAffected.Dispose();
            transaction.Dispose();
            connection.Dispose();
        }

        private static OsvRecord? Read(OsvSource.Entry entry)
        {
            if (entry.Length > OsvSource.MaxEntryBytes)
            {
                throw new InvalidDataException($"the record is {entry.Length} bytes, over the {OsvSource.MaxEntryBytes}-byte limit");
            }

            using var stream = entry.Open();
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(entry.Length, 4096) + 1);
            try
            {
                // Read at most the limit whatever the entry declared: a zip may lie about its sizes.
                var total = 0;
                int n;
                while ((n = stream.Read(buffer, total, buffer.Length - total)) > 0)
                {
                    total += n;
                    if (total == buffer.Length)
                    {
                        if (buffer.Length > OsvSource.MaxEntryBytes)
                        {
                            throw new InvalidDataException($"the record is over the {OsvSource.MaxEntryBytes}-byte limit");
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, total);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                var span = buffer.AsSpan(0, total);
                if (span.StartsWith("\uFEFF"u8))
                {
                    span = span[3..]; // UTF-8 byte order mark, which the JSON reader refuses
                }

                var start = span.TrimStart(" \t\r\n"u8);

                if (start.Length == 0 || start[0] != (byte)'{')
                {
                    throw new InvalidDataException("the document is not a JSON object");
                }

                return JsonSerializer.Deserialize(span, OsvJsonContext.Default.OsvRecord);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private void Insert(OsvRecord record)
        {
            var rowid = ++advisories;
            var p = insertAdvisory.Parameters;
            p[0].Value = rowid;
            p[1].Value = record.Id;
            p[2].Value = (object?)record.Summary ?? DBNull.Value;
            p[3].Value = (object?)record.Published ?? DBNull.Value;
            p[4].Value = (object?)record.Modified ?? DBNull.Value;
            p[5].Value = (object?)record.Details ?? DBNull.Value;
            insertAdvisory.ExecuteNonQuery();

            // What every statement of this record carries for its findings. Upstream ids join the aliases: users
            // suppress and search by the CVE whichever record matched.
            var title = VulnerabilityDatabase.Title(record.Summary, record.Details);
            var aliases = Lines(record.Upstream is { Count: > 0 } upstream ? (record.Aliases ?? []).Concat(upstream).Distinct(StringComparer.Ordinal) : record.Aliases);
            var references = Lines(record.References?.Select(r => r.Url).OfType<string>());
            var advisoryVectors = Json(Vectors(record.Severity));
            var advisoryRating = (object?)StringProperty(record.DatabaseSpecific, "severity") ?? DBNull.Value;

            recordEcosystems.Clear();
            foreach (var affected in record.Affected ?? [])
            {
                var ecosystem = affected.Package?.Ecosystem?.Trim();
                var name = affected.Package?.Name;
                if (string.IsNullOrEmpty(ecosystem) || string.IsNullOrWhiteSpace(name))
                {
                    continue; // e.g. GIT-only entries naming a repository, not a package
                }

                var ranges = AffectedRanges.Encode(affected.Ranges);
                var versions = AffectedRanges.EncodeVersions(affected.Versions);
                if (ranges is null && versions is null)
                {
                    continue;
                }

                var a = insertAffected.Parameters;
                a[0].Value = rowid;
                a[1].Value = record.Id;
                a[2].Value = ecosystem;
                a[3].Value = OsvEcosystems.NormalizeName(ecosystem, name);
                a[4].Value = (object?)ranges ?? DBNull.Value;
                a[5].Value = (object?)versions ?? DBNull.Value;
                a[6].Value = Json(Vectors(affected.Severity));
                a[7].Value = (object?)(StringProperty(affected.EcosystemSpecific, "severity")
                    ?? StringProperty(affected.EcosystemSpecific, "urgency")
                    ?? StringProperty(affected.DatabaseSpecific, "severity")) ?? DBNull.Value;
                a[8].Value = title;
                a[9].Value = aliases;
                a[10].Value = references;
                a[11].Value = advisoryVectors;
                a[12].Value = advisoryRating;
                insertAffected.ExecuteNonQuery();
                recordEcosystems.Add(ecosystem);
            }

            foreach (var e in recordEcosystems)
            {
                ecosystems[e] = ecosystems.GetValueOrDefault(e) + 1;
            }
        }

        private static List<OsvSeverity>? Vectors(List<OsvSeverity>? severity) =>
            severity?.Where(s => !string.IsNullOrEmpty(s.Type) && !string.IsNullOrEmpty(s.Score)).ToList();

        /// <summary>Ids and URLs one a line (a line break never belongs in either; such entries are dropped).</summary>
        private static object Lines(IEnumerable<string>? values) =>
            (values ?? []).Where(v => v.Length > 0 && !v.Any(char.IsControl)).ToList() is { Count: > 0 } kept ? string.Join('\n', kept) : DBNull.Value;

        private static object Json(List<OsvSeverity>? values) =>
            values is { Count: > 0 } ? JsonSerializer.Serialize(values, OsvJsonContext.Default.ListOsvSeverity) : DBNull.Value;

        private static string? StringProperty(JsonElement? element, string name) =>
            element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;

        private void Malformed(string name, string reason)
        {
            malformed++;
            if (warnings.Count < MaxWarnings)
            {
                warnings.Add($"skipped malformed record {name}: {reason}");
            }
            else if (warnings.Count == MaxWarnings)
            {
                warnings.Add("further malformed records are counted but not named");
            }
        }

        private void Execute(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var p in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = p });
            }

            command.Prepare();
            return command;
        }
    }
}

/// <summary>The <c>metadata</c> table's rows: one key per <see cref="DatabaseMetadata"/> field.</summary>
internal static class MetadataStore
{
    public static IEnumerable<(string Key, string Value)> ToRows(DatabaseMetadata m)
    {
        yield return ("schema_version", m.SchemaVersion.ToString(CultureInfo.InvariantCulture));
        yield return ("built_at", m.BuiltAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        yield return ("sources", JsonSerializer.Serialize(m.Sources.ToList(), OsvJsonContext.Default.ListString));
        yield return ("advisories", m.Advisories.ToString(CultureInfo.InvariantCulture));
        yield return ("malformed", m.Malformed.ToString(CultureInfo.InvariantCulture));
        yield return ("withdrawn", m.Withdrawn.ToString(CultureInfo.InvariantCulture));
        yield return ("duplicates", m.Duplicates.ToString(CultureInfo.InvariantCulture));
    }

    public static DatabaseMetadata Read(SqliteConnection connection)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT key, value FROM metadata";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var ecosystems = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, advisories FROM ecosystems ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ecosystems[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        long Long(string key) => rows.TryGetValue(key, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
        return new DatabaseMetadata
        {
            SchemaVersion = (int)Long("schema_version"),
            BuiltAt = DateTimeOffset.Parse(rows["built_at"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Sources = rows.TryGetValue("sources", out var s) ? JsonSerializer.Deserialize(s, OsvJsonContext.Default.ListString) ?? [] : [],
            Advisories = Long("advisories"),
            Malformed = Long("malformed"),
            Withdrawn = Long("withdrawn"),
            Duplicates = Long("duplicates"),
            Ecosystems = ecosystems,
        };
    }
}
