using System.Buffers.Binary;

namespace Pipeline.Analysis.Analyzers.Os.Rpm;

/// <summary>
/// Reads rpm's own "ndb" package store, <c>Packages.db</c> (SUSE since SLE 15 SP3 / openSUSE). Layout
/// (rpm lib/backend/ndb/rpmpkg.c), all integers little-endian:
/// <list type="bullet">
/// <item>A 32-byte header: magic <c>RpmP</c>, format version 0, generation, number of 4 KiB slot pages.</item>
/// <item>The slot pages follow (the header takes the first two 16-byte slots of the first page). A slot is
/// magic <c>Slot</c>, package index (0 = free), block offset and block count, in 16-byte blocks.</item>
/// <item>A blob at <c>offset × 16</c>: magic <c>BlbS</c>, package index, generation, length, the header
/// blob itself, zero padding, and in the last 12 bytes of its blocks a tail: Adler-32 of everything before
/// the tail, the length again, magic <c>BlbE</c>.</item>
/// </list>
/// </summary>
internal static class RpmNdb
{
    private const uint HeaderMagic = 'R' | ('p' << 8) | ('m' << 16) | ((uint)'P' << 24);
    private const uint SlotMagic = 'S' | ('l' << 8) | ('o' << 16) | ((uint)'t' << 24);
    private const uint BlobMagic = 'B' | ('l' << 8) | ('b' << 16) | ((uint)'S' << 24);
    private const uint BlobTailMagic = 'B' | ('l' << 8) | ('b' << 16) | ((uint)'E' << 24);
    private const int BlobTailSize = 12;
    private const int SlotPageSize = 4096;
    private const int BlockSize = 16;

    // Each slot page holds 256 packages: 2048 pages is half a million, far beyond any real image.
    private const int MaxSlotPages = 2048;

    public static bool IsNdb(ReadOnlySpan<byte> db) => db.Length >= 32 && BinaryPrimitives.ReadUInt32LittleEndian(db) == HeaderMagic;

    /// <summary>The header blobs by package index. Damaged slots or blobs are reported and skipped.</summary>
    /// <exception cref="InvalidDataException">The file header is not an ndb header.</exception>
    public static List<(uint Index, byte[] Blob)> ReadAll(ReadOnlySpan<byte> db, Action<string> onError)
    {
        if (!IsNdb(db))
        {
            throw new InvalidDataException("Not an rpm ndb database (no 'RpmP' magic).");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(db[4..]);
        var slotPages = BinaryPrimitives.ReadUInt32LittleEndian(db[12..]);
        if (version != 0)
        {
            throw new InvalidDataException($"rpm ndb format version {version} is not supported.");
        }

        if (slotPages is 0 or > MaxSlotPages)
        {
            throw new InvalidDataException($"rpm ndb database names {slotPages} slot pages.");
        }

        var slotsEnd = (int)slotPages * SlotPageSize;
        if (slotsEnd > db.Length)
        {
            onError($"rpm ndb database is truncated: its {slotPages} slot pages need {slotsEnd} bytes, the file holds {db.Length}.");
            slotsEnd = db.Length - (db.Length % BlockSize);
        }

        var results = new List<(uint, byte[])>();
        for (var at = 2 * BlockSize; at + BlockSize <= slotsEnd; at += BlockSize)
        {
            var slot = db.Slice(at, BlockSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(slot) != SlotMagic)
            {
                // A slot page with a bad magic means everything after it is unreliable: rpm stops too.
                onError($"rpm ndb slot at byte {at} has a bad magic; the rest of the slots are skipped.");
                break;
            }

            var index = BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]);
            if (index == 0)
            {
                continue;
            }

            var blockOffset = (long)BinaryPrimitives.ReadUInt32LittleEndian(slot[8..]) * BlockSize;
            var blockBytes = (long)BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]) * BlockSize;
            if (blockOffset < slotsEnd || blockOffset + blockBytes > db.Length || blockBytes < BlockSize)
            {
                onError($"rpm ndb package {index}: its blob at byte {blockOffset} ({blockBytes} bytes) is outside the file.");
                continue;
            }

            var blob = db.Slice((int)blockOffset, (int)blockBytes);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(blob[12..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(blob) != BlobMagic || BinaryPrimitives.ReadUInt32LittleEndian(blob[4..]) != index)
            {
                onError($"rpm ndb package {index}: the blob at byte {blockOffset} does not belong to it.");
                continue;
            }

            // rpm's own check (rpmpkgReadBlob): the blocks hold exactly header, blob and tail, rounded up.
            if (blockBytes != (BlockSize + (long)length + BlobTailSize + BlockSize - 1) / BlockSize * BlockSize)
            {
                onError($"rpm ndb package {index}: blob length {length} does not fit its {blockBytes} bytes of blocks.");
                continue;
            }

            var tail = blob[^BlobTailSize..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[8..]) != BlobTailMagic || BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]) != length)
            {
                onError($"rpm ndb package {index}: the blob's tail is damaged.");
                continue;
            }

            // A checksum mismatch is reported, but the header is still read: its own checks decide whether
            // anything in it is usable, and a package is not dropped for a flipped bit in its padding.
            if (Adler32(blob[..^BlobTailSize]) != BinaryPrimitives.ReadUInt32LittleEndian(tail))
            {
                onError($"rpm ndb package {index}: the blob's Adler-32 checksum does not match.");
            }

            results.Add((index, blob.Slice(BlockSize, (int)length).ToArray()));
        }

        return results;
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
        while (data.Length > 0)
        {
            // 5552 bytes is the most that can be summed before b can overflow 32 bits (zlib's NMAX).
            var n = Math.Min(data.Length, 5552);
            foreach (var x in data[..n])
            {
                a += x;
                b += a;
            }

            a %= Mod;
            b %= Mod;
            data = data[n..];
        }

        return (b << 16) | a;
    }
}
