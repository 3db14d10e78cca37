using System.Buffers.Binary;

namespace Pipeline.Analysis.Analyzers.Os.Rpm;

/// <summary>
/// Reads the values of a Berkeley DB hash database, the format of rpm's legacy <c>Packages</c> file (RHEL
/// and CentOS up to 8, Amazon Linux 2, SLES 12). Layout (libdb's db_page.h):
/// <list type="bullet">
/// <item>Page 0 is the hash metadata page: magic 0x061561 at byte 12 (its byte order is the file's byte
/// order), page size at 20, encryption at 24, page type 8 at 25, last page number at 32.</item>
/// <item>Every page starts with a 26-byte header: next page at 16, entry count at 20, high free offset
/// at 22, page type at 25. Hash pages (type 13, or 2 for the unsorted pages of old versions) hold an
/// array of 2-byte item offsets after the header, key and value alternating; items are packed from the
/// page's end, so an item ends where the previous one starts.</item>
/// <item>An item's first byte is its type: 1 (data inline), 3 (off-page: page number at +4, total length
/// at +8). Off-page data lives in a chain of overflow pages (type 7), each holding <c>high free offset</c>
/// bytes after its header.</item>
/// </list>
/// rpm stores one record per package: key = the package's instance number (4 bytes, host order),
/// value = the header blob; instance 0 is rpm's own counter, not a package. Pages are walked in file
/// order, so damaged bucket links cannot send the reader round in circles, and every overflow chain is
/// bounded by the page count.
/// </summary>
internal static class BerkeleyDbHash
{
    public const uint Magic = 0x061561;

    private const int PageHeaderSize = 26;
    private const byte PageTypeHashUnsorted = 2;
    private const byte PageTypeOverflow = 7;
    private const byte PageTypeHashMeta = 8;
    private const byte PageTypeHash = 13;
    private const byte ItemKeyData = 1;
    private const byte ItemOffPage = 3;

    /// <summary>True when <paramref name="db"/> starts with a Berkeley DB hash metadata page (either byte order).</summary>
    public static bool IsHashDatabase(ReadOnlySpan<byte> db) =>
        db.Length >= 512 && (BinaryPrimitives.ReadUInt32LittleEndian(db[12..]) == Magic || BinaryPrimitives.ReadUInt32BigEndian(db[12..]) == Magic);

    /// <summary>
    /// The values stored in the database, with their keys. Damage found after the metadata page is reported
    /// through <paramref name="onError"/> and the walk goes on with the next item or page.
    /// </summary>
    /// <exception cref="InvalidDataException">The metadata page is not a readable hash database's.</exception>
    public static List<(byte[] Key, byte[] Value)> ReadAll(ReadOnlySpan<byte> db, Action<string> onError)
    {
        if (!IsHashDatabase(db))
        {
            throw new InvalidDataException("Not a Berkeley DB hash database (no hash magic on page 0).");
        }

        var bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(db[12..]) != Magic;
        var r = new Reader(bigEndian);
        var pageSize = r.U32(db, 20);
        if (pageSize is < 512 or > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            throw new InvalidDataException($"Berkeley DB page size {pageSize} is not a power of two from 512 to 65536.");
        }

        if (db[24] != 0)
        {
            throw new InvalidDataException("Berkeley DB database is encrypted.");
        }

        if (db[25] != PageTypeHashMeta)
        {
            throw new InvalidDataException($"Berkeley DB page 0 has type {db[25]}, not hash metadata.");
        }

        var lastPage = r.U32(db, 32);
        var pagesInFile = db.Length / (int)pageSize;
        var pageCount = (int)Math.Min((long)lastPage + 1, pagesInFile);
        if (pageCount < (long)lastPage + 1)
        {
            onError($"Berkeley DB database is truncated: the metadata names {(long)lastPage + 1} pages, the file holds {pagesInFile}.");
        }

        var results = new List<(byte[], byte[])>();
        for (var pgno = 1; pgno < pageCount; pgno++)
        {
            var page = db.Slice(pgno * (int)pageSize, (int)pageSize);
            if (page[25] is not (PageTypeHash or PageTypeHashUnsorted))
            {
                continue;
            }

            var entries = r.U16(page, 20);
            if (entries % 2 != 0 || PageHeaderSize + (2 * entries) > page.Length)
            {
                onError($"Berkeley DB page {pgno}: impossible entry count {entries}.");
                continue;
            }

            for (var i = 0; i + 1 < entries; i += 2)
            {
                try
                {
                    var key = Item(db, page, i, pageSize, pageCount, r);
                    var value = Item(db, page, i + 1, pageSize, pageCount, r);
                    if (key is not null && value is not null)
                    {
                        results.Add((key, value));
                    }
                }
                catch (InvalidDataException e)
                {
                    onError($"Berkeley DB page {pgno} item {i / 2}: {e.Message}");
                }
            }
        }

        return results;
    }

    /// <summary>The bytes of item <paramref name="index"/> on a hash page, or null for item types rpm never writes (duplicates).</summary>
    private static byte[]? Item(ReadOnlySpan<byte> db, ReadOnlySpan<byte> page, int index, uint pageSize, int pageCount, Reader r)
    {
        int start = r.U16(page, PageHeaderSize + (2 * index));
        var end = index == 0 ? (int)pageSize : r.U16(page, PageHeaderSize + (2 * (index - 1)));
        if (start < PageHeaderSize || end > pageSize || start >= end)
        {
            throw new InvalidDataException($"item offsets {start}..{end} are outside the page.");
        }

        var item = page[start..end];
        switch (item[0])
        {
            case ItemKeyData:
                return item[1..].ToArray();
            case ItemOffPage:
                if (item.Length < 12)
                {
                    throw new InvalidDataException("off-page item is shorter than 12 bytes.");
                }

                return Overflow(db, r.U32(item, 4), r.U32(item, 8), pageSize, pageCount, r);
            default:
                return null;
        }
    }

    private static byte[] Overflow(ReadOnlySpan<byte> db, uint first, uint total, uint pageSize, int pageCount, Reader r)
    {
        if (total > (long)pageCount * pageSize)
        {
            throw new InvalidDataException($"off-page item claims {total} bytes, more than the whole database.");
        }

        var value = new byte[total];
        var written = 0;
        var pgno = first;

        // A chain visits each page at most once; more steps than pages means a loop.
        for (var steps = 0; pgno != 0; steps++)
        {
            if (steps >= pageCount || pgno >= pageCount)
            {
                throw new InvalidDataException($"overflow chain from page {first} is broken at page {pgno}.");
            }

            var page = db.Slice((int)(pgno * pageSize), (int)pageSize);
            if (page[25] != PageTypeOverflow)
            {
                throw new InvalidDataException($"page {pgno} in an overflow chain has type {page[25]}.");
            }

            int length = r.U16(page, 22);
            if (length > pageSize - PageHeaderSize || written + length > total)
            {
                throw new InvalidDataException($"overflow page {pgno} holds more data than the item.");
            }

            page.Slice(PageHeaderSize, length).CopyTo(value.AsSpan(written));
            written += length;
            pgno = r.U32(page, 16);
        }

        if (written != total)
        {
            throw new InvalidDataException($"overflow chain from page {first} holds {written} of {total} bytes.");
        }

        return value;
    }

    private readonly record struct Reader(bool BigEndian)
    {
        public uint U32(ReadOnlySpan<byte> b, int at) =>
            BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

        public ushort U16(ReadOnlySpan<byte> b, int at) =>
            BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    }
}
