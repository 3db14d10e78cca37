using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pipeline.Analysis.Analyzers.Os.Rpm;

/// <summary>
/// Reads rpm's SQLite package database (<c>rpmdb.sqlite</c>, rpm ≥ 4.16: RHEL 9, Fedora 33+, Amazon Linux
/// 2023): table <c>Packages(hnum INTEGER PRIMARY KEY, blob BLOB)</c>, one header blob per package.
/// The database is opened from memory with <c>sqlite3_deserialize</c>, so no layer content ever touches the
/// disk and nothing is left to clean up.
/// </summary>
internal static class RpmSqlite
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("SQLite format 3\0");

    public static bool IsSqlite(ReadOnlySpan<byte> db) => db.Length >= 100 && db.StartsWith(Magic);

    /// <summary>The header blobs by package number.</summary>
    /// <exception cref="InvalidDataException">SQLite cannot read the database or it has no Packages table.</exception>
    public static List<(long Hnum, byte[] Blob)> ReadAll(ReadOnlySpan<byte> db, Action<string> onError)
    {
        if (!IsSqlite(db))
        {
            throw new InvalidDataException("Not an SQLite database.");
        }

        // SQLite reads a cut-off file without complaint as long as the pages it needs are there; the header
        // states the real size (page size at 16, page count at 28), so a short file is reported, not hidden.
        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(db[16..]) is var ps && ps == 1 ? 65536 : ps;
        var stated = (long)pageSize * BinaryPrimitives.ReadUInt32BigEndian(db[28..]);
        if (stated > db.Length)
        {
            onError($"SQLite database is truncated: its header states {stated} bytes, the file holds {db.Length}.");
        }

        // No pooling: a pooled connection would keep the deserialized database (megabytes) alive after use.
        using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();

        // SQLite takes ownership of memory from sqlite3_malloc64 with FREEONCLOSE, and frees it even when
        // deserializing fails, so no path here leaks or frees it twice.
        var buffer = raw.sqlite3_malloc64(db.Length);
        if (buffer == IntPtr.Zero)
        {
            throw new InsufficientMemoryException($"SQLite could not allocate {db.Length} bytes.");
        }

        CopyToNative(db, buffer);

        // rpm leaves its database in WAL mode (header bytes 18 and 19 are 2). A WAL database cannot be
        // read from memory, and the -wal file of a cleanly closed database is empty anyway: mark the copy
        // as a rollback-journal database so SQLite reads the main file alone.
        if (db[18] == 2 && db[19] == 2)
        {
            Marshal.WriteByte(buffer, 18, 1);
            Marshal.WriteByte(buffer, 19, 1);
        }

        var rc = raw.sqlite3_deserialize(
            connection.Handle,
            "main",
            buffer,
            db.Length,
            db.Length,
            raw.SQLITE_DESERIALIZE_FREEONCLOSE | raw.SQLITE_DESERIALIZE_READONLY);
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidDataException($"SQLite could not load the database: {raw.sqlite3_errstr(rc).utf8_to_string()}.");
        }

        var results = new List<(long, byte[])>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT hnum, blob FROM Packages";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                results.Add((reader.GetInt64(0), reader.IsDBNull(1) ? [] : (byte[])reader.GetValue(1)));
            }
        }
        catch (SqliteException e) when (results.Count > 0)
        {
            // A damaged page deep in the table: keep the rows read before it.
            onError($"SQLite stopped reading the Packages table after {results.Count} rows: {e.Message}");
        }
        catch (SqliteException e)
        {
            throw new InvalidDataException($"SQLite could not read the Packages table: {e.Message}", e);
        }

        return results;
    }

    /// <summary>Copies through a small pooled buffer: no unsafe code, and no second copy of a large database.</summary>
    private static void CopyToNative(ReadOnlySpan<byte> source, IntPtr target)
    {
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            for (var at = 0; at < source.Length; at += chunk.Length)
            {
                var n = Math.Min(chunk.Length, source.Length - at);
                source.Slice(at, n).CopyTo(chunk);
                Marshal.Copy(chunk, 0, target + at, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
