using System.Text;
using Microsoft.Data.Sqlite;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Os;

/// <summary>
/// Real rpm databases of the same packages in every format, built once by rpm's own tools and cached in
/// <see cref="TestPaths.Cache"/> (the SQLite one is too large to keep in the repository):
/// <list type="bullet">
/// <item><c>db/root</c>: rpm installs into <c>var/lib/rpm/rpmdb.sqlite</c> (testdata/os/rpm/make-rpmdb.sh);
/// <c>db/expected.txt</c> is <c>rpm -qa</c>'s answer.</item>
/// <item><c>bdb-le</c>, <c>bdb-be</c>: <c>var/lib/rpm/Packages</c> as rpm's Berkeley DB backend lays it out
/// (hash database, key = the package's instance number in the writer's byte order, value = the header
/// blob), written by Berkeley DB's own <c>db5.3_load</c> in both byte orders from the SQLite blobs.</item>
/// </list>
/// The ndb database is a committed fixture (testdata/os/rpm/ndb): Debian's rpm cannot write ndb.
/// </summary>
internal static class RpmDatabases
{
    private static readonly Lazy<string> Dir = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string SqliteRoot => Path.Combine(Dir.Value, "db", "root");

    public static string BdbLittleEndianRoot => Path.Combine(Dir.Value, "bdb-le");

    public static string BdbBigEndianRoot => Path.Combine(Dir.Value, "bdb-be");

    /// <summary>Little-endian with 512-byte pages: every header spans a long chain of overflow pages.</summary>
    public static string BdbSmallPagesRoot => Path.Combine(Dir.Value, "bdb-512");

    public static string NdbDir => Path.Combine(OsAnalyzerHarness.TestData, "rpm", "ndb");

    /// <summary>What <c>rpm -qa</c> lists for a root: NAME EPOCHNUM VERSION RELEASE ARCH SOURCERPM, sorted, without gpg-pubkey.</summary>
    public static List<string> QueryAll(string root, string backend) =>
        [.. Tool.Run("rpm", [
                "--root", root, "--dbpath", "/var/lib/rpm", "--define", "_db_backend " + backend, "-qa",
                "--qf", "%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM}\n"])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("gpg-pubkey ", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static string Build()
    {
        var dir = Path.Combine(TestPaths.Cache, "rpmdb-v2");
        var done = dir + ".done";
        if (File.Exists(done))
        {
            return dir;
        }

        using var lockFile = AcquireLock(dir + ".lock");
        if (File.Exists(done))
        {
            return dir;
        }

        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        Tool.Run("bash", [Path.Combine(OsAnalyzerHarness.TestData, "rpm", "make-rpmdb.sh"), Path.Combine(dir, "db")], timeout: TimeSpan.FromMinutes(5));

        var blobs = new List<(long Hnum, byte[] Blob)>();
        var sqlite = Path.Combine(dir, "db", "root", "var", "lib", "rpm", "rpmdb.sqlite");
        using (var connection = new SqliteConnection($"Data Source={sqlite};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT hnum, blob FROM Packages ORDER BY hnum";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                blobs.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        LoadBerkeleyDb(blobs, Path.Combine(dir, "bdb-le"), bigEndian: false, pageSize: 4096);
        LoadBerkeleyDb(blobs, Path.Combine(dir, "bdb-be"), bigEndian: true, pageSize: 4096);
        LoadBerkeleyDb(blobs, Path.Combine(dir, "bdb-512"), bigEndian: false, pageSize: 512);
        File.WriteAllText(done, "built");
        return dir;
    }

    private static void LoadBerkeleyDb(List<(long Hnum, byte[] Blob)> blobs, string root, bool bigEndian, int pageSize)
    {
        var rpmDir = Directory.CreateDirectory(Path.Combine(root, "var", "lib", "rpm")).FullName;

        // db_load's "bytevalue" dump format: a header, then key and value lines of hex, each after one space.
        var dump = new StringBuilder($"VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize={pageSize}\nHEADER=END\n");
        foreach (var (hnum, blob) in blobs)
        {
            var key = new byte[4];
            if (bigEndian)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(key, (uint)hnum);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)hnum);
            }

            dump.Append(' ').Append(Convert.ToHexStringLower(key)).Append('\n');
            dump.Append(' ').Append(Convert.ToHexStringLower(blob)).Append('\n');
        }

        dump.Append("DATA=END\n");
        var input = Path.Combine(root, "dump.txt");
        File.WriteAllText(input, dump.ToString());
        Tool.Run("db5.3_load", ["-c", "db_lorder=" + (bigEndian ? "4321" : "1234"), "-f", input, Path.Combine(rpmDir, "Packages")]);
        File.Delete(input);
    }

    private static FileStream AcquireLock(string path)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 10 * 60 * 10)
            {
                Thread.Sleep(100);
            }
        }
    }
}
