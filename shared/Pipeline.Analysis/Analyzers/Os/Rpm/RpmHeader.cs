using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Analysis.Analyzers.Os.Rpm;

/// <summary>What one installed package's rpm header says, as far as inventory needs it.</summary>
internal sealed record RpmHeaderInfo(
    string Name,
    string Version,
    string Release,
    int? Epoch,
    string? Arch,
    string? SourceRpm,
    string? License,
    string? Vendor,
    IReadOnlyList<string> Files,
    string? FilesError = null);

/// <summary>
/// Parses an rpm header blob as the package databases store it (no lead, no magic): a big-endian index
/// count <c>il</c> and data length <c>dl</c>, <c>il</c> 16-byte index entries (tag, type, offset, count),
/// then <c>dl</c> bytes of data the entries point into. Every offset and count is checked against the blob,
/// so a damaged header fails with <see cref="InvalidDataException"/> and never reads out of bounds.
/// </summary>
internal static class RpmHeader
{
    private const int TagName = 1000;
    private const int TagVersion = 1001;
    private const int TagRelease = 1002;
    private const int TagEpoch = 1003;
    private const int TagVendor = 1011;
    private const int TagLicense = 1014;
    private const int TagArch = 1022;
    private const int TagOldFileNames = 1027;
    private const int TagFileModes = 1030;
    private const int TagSourceRpm = 1044;
    private const int TagDirIndexes = 1116;
    private const int TagBaseNames = 1117;
    private const int TagDirNames = 1118;

    private const int TypeInt16 = 3;
    private const int TypeInt32 = 4;
    private const int TypeString = 6;
    private const int TypeStringArray = 8;
    private const int TypeI18nString = 9;

    // rpm's own limits (header.c: HEADER_TAGS_MAX, HEADER_DATA_MAX): anything larger is not a header.
    private const int MaxTags = 0xffff;
    private const int MaxData = 256 * 1024 * 1024;

    public static RpmHeaderInfo Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8)
        {
            throw new InvalidDataException($"rpm header of {blob.Length} bytes is too short.");
        }

        var il = BinaryPrimitives.ReadInt32BigEndian(blob);
        var dl = BinaryPrimitives.ReadInt32BigEndian(blob[4..]);
        if (il < 1 || il > MaxTags || dl < 0 || dl > MaxData)
        {
            throw new InvalidDataException($"rpm header has an impossible size (il={il}, dl={dl}).");
        }

        var dataStart = 8 + (16 * il);
        if ((long)dataStart + dl > blob.Length)
        {
            throw new InvalidDataException($"rpm header is truncated: needs {dataStart + (long)dl} bytes, has {blob.Length}.");
        }

        var data = blob.Slice(dataStart, dl);

        // Later entries replace earlier ones with the same tag: rpm appends "dribble" entries after the
        // immutable region when it updates a header in the database.
        var entries = new Dictionary<int, (int Type, int Offset, int Count)>();
        for (var i = 0; i < il; i++)
        {
            var e = blob.Slice(8 + (16 * i), 16);
            var tag = BinaryPrimitives.ReadInt32BigEndian(e);
            var type = BinaryPrimitives.ReadInt32BigEndian(e[4..]);
            var offset = BinaryPrimitives.ReadInt32BigEndian(e[8..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(e[12..]);
            if (offset < 0 || offset > dl || count < 0)
            {
                throw new InvalidDataException($"rpm header entry {i} (tag {tag}) points outside the data.");
            }

            entries[tag] = (type, offset, count);
        }

        var name = String(data, entries, TagName) ?? throw new InvalidDataException("rpm header has no NAME.");
        var epochs = Int32s(data, entries, TagEpoch);

        // A damaged file list costs the package its owned files, not its place in the inventory.
        List<string> files = [];
        string? filesError = null;
        try
        {
            files = Files(data, entries);
        }
        catch (InvalidDataException e)
        {
            filesError = e.Message;
        }

        return new RpmHeaderInfo(
            name,
            String(data, entries, TagVersion) ?? string.Empty,
            String(data, entries, TagRelease) ?? string.Empty,
            epochs.Length > 0 ? epochs[0] : null,
            String(data, entries, TagArch),
            NoneAsNull(String(data, entries, TagSourceRpm)),
            NoneAsNull(String(data, entries, TagLicense)),
            NoneAsNull(String(data, entries, TagVendor)),
            files,
            filesError);
    }

    /// <summary>
    /// The files a package owns, without its directories: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i] (rpm ≥ 4),
    /// or OLDFILENAMES in headers older than that. Paths lose their leading slash like the walker's.
    /// </summary>
    private static List<string> Files(ReadOnlySpan<byte> data, Dictionary<int, (int Type, int Offset, int Count)> entries)
    {
        var modes = Int16s(data, entries, TagFileModes);
        var files = new List<string>();
        var baseNames = Strings(data, entries, TagBaseNames);
        if (baseNames.Count > 0)
        {
            var dirNames = Strings(data, entries, TagDirNames);
            var dirIndexes = Int32s(data, entries, TagDirIndexes);
            if (dirIndexes.Length != baseNames.Count)
            {
                throw new InvalidDataException($"rpm header has {baseNames.Count} BASENAMES but {dirIndexes.Length} DIRINDEXES.");
            }

            for (var i = 0; i < baseNames.Count; i++)
            {
                var d = dirIndexes[i];
                if (d < 0 || d >= dirNames.Count)
                {
                    throw new InvalidDataException($"rpm header DIRINDEXES[{i}]={d} is out of range.");
                }

                Add(dirNames[d] + baseNames[i], i);
            }
        }
        else
        {
            var old = Strings(data, entries, TagOldFileNames);
            for (var i = 0; i < old.Count; i++)
            {
                Add(old[i], i);
            }
        }

        return files;

        void Add(string path, int i)
        {
            const int FileTypeMask = 0xF000;
            const int Directory = 0x4000;
            if (i < modes.Length && (modes[i] & FileTypeMask) == Directory)
            {
                return;
            }

            var p = path.TrimStart('/');
            if (p.Length > 0)
            {
                files.Add(p);
            }
        }
    }

    private static string? NoneAsNull(string? s) => s is null or "(none)" or "" ? null : s;

    private static string? String(ReadOnlySpan<byte> data, Dictionary<int, (int Type, int Offset, int Count)> entries, int tag)
    {
        if (!entries.TryGetValue(tag, out var e))
        {
            return null;
        }

        if (e.Type is not (TypeString or TypeI18nString or TypeStringArray))
        {
            throw new InvalidDataException($"rpm header tag {tag} has type {e.Type}, not a string.");
        }

        return ReadString(data, e.Offset, tag, out _);
    }

    private static List<string> Strings(ReadOnlySpan<byte> data, Dictionary<int, (int Type, int Offset, int Count)> entries, int tag)
    {
        var list = new List<string>();
        if (!entries.TryGetValue(tag, out var e))
        {
            return list;
        }

        if (e.Type is not (TypeStringArray or TypeI18nString))
        {
            throw new InvalidDataException($"rpm header tag {tag} has type {e.Type}, not a string array.");
        }

        var offset = e.Offset;
        for (var i = 0; i < e.Count; i++)
        {
            list.Add(ReadString(data, offset, tag, out var next));
            offset = next;
        }

        return list;
    }

    private static string ReadString(ReadOnlySpan<byte> data, int offset, int tag, out int next)
    {
        if (offset >= data.Length)
        {
            throw new InvalidDataException($"rpm header tag {tag} points past the data.");
        }

        var end = data[offset..].IndexOf((byte)0);
        if (end < 0)
        {
            throw new InvalidDataException($"rpm header tag {tag} has an unterminated string.");
        }

        next = offset + end + 1;
        return Encoding.UTF8.GetString(data.Slice(offset, end));
    }

    private static int[] Int32s(ReadOnlySpan<byte> data, Dictionary<int, (int Type, int Offset, int Count)> entries, int tag) =>
        Integers(data, entries, tag, TypeInt32);

    private static int[] Int16s(ReadOnlySpan<byte> data, Dictionary<int, (int Type, int Offset, int Count)> entries, int tag) =>
        Integers(data, entries, tag, TypeInt16);

    /// <summary>An INT32 array, or an INT16 array read unsigned (file modes), bounds-checked against the data.</summary>
    private static int[] Integers(ReadOnlySpan<byte> data, Dictionary<int, (int Type, int Offset, int Count)> entries, int tag, int type)
    {
        if (!entries.TryGetValue(tag, out var e))
        {
            return [];
        }

        var width = type == TypeInt32 ? 4 : 2;
        if (e.Type != type || (long)e.Offset + ((long)width * e.Count) > data.Length)
        {
            throw new InvalidDataException($"rpm header tag {tag} is not an int{width * 8} array inside the data.");
        }

        var values = new int[e.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var at = data[(e.Offset + (width * i))..];
            values[i] = width == 4 ? BinaryPrimitives.ReadInt32BigEndian(at) : BinaryPrimitives.ReadUInt16BigEndian(at);
        }

        return values;
    }
}
