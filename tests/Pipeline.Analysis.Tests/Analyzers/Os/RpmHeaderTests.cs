using System.Buffers.Binary;
using Pipeline.Analysis.Analyzers.Os.Rpm;

namespace Pipeline.Analysis.Tests.Analyzers.Os;

public sealed class RpmHeaderTests
{
    [Fact]
    public void Parse_DamagedFileList_KeepsPackageAndReportsFiles()
    {
        var blob = DemoBlob();
        var entry = FindEntry(blob, 1116); // DIRINDEXES

        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(entry + 12), 1); // count no longer matches BASENAMES
        var header = RpmHeader.Parse(blob);

        Assert.Equal("osan-demo", header.Name);
        Assert.Empty(header.Files);
        Assert.Contains("DIRINDEXES", header.FilesError, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EntryPointingOutsideData_ThrowsInvalidData()
    {
        var blob = DemoBlob();
        var entry = FindEntry(blob, 1000); // NAME

        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(entry + 8), int.MaxValue);

        Assert.Throws<InvalidDataException>(() => RpmHeader.Parse(blob));
    }

    [Fact]
    public void Parse_ImpossibleCounts_ThrowsInvalidData()
    {
        var blob = DemoBlob();
        BinaryPrimitives.WriteInt32BigEndian(blob, 0x7fffffff);

        Assert.Throws<InvalidDataException>(() => RpmHeader.Parse(blob));
    }

    private static byte[] DemoBlob()
    {
        var db = File.ReadAllBytes(Path.Combine(RpmDatabases.NdbDir, "Packages.db"));
        return RpmNdb.ReadAll(db, e => Assert.Fail(e))
            .Select(r => r.Blob)
            .Single(b => RpmHeader.Parse(b).Name == "osan-demo");
    }

    private static int FindEntry(byte[] blob, int tag)
    {
        var il = BinaryPrimitives.ReadInt32BigEndian(blob);
        for (var i = 0; i < il; i++)
        {
            if (BinaryPrimitives.ReadInt32BigEndian(blob.AsSpan(8 + (16 * i))) == tag)
            {
                return 8 + (16 * i);
            }
        }

        throw new InvalidOperationException($"tag {tag} not in header");
    }
}
