using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Analysis.Analyzers.Language.Go;

/// <summary>
/// The parts of an ELF file the Go build info reader needs: section headers by name and the loadable
/// segments that map virtual addresses to file offsets. Every offset read is checked against the file.
/// </summary>
internal sealed class ElfImage
{
    private const int MaxHeaders = 1 << 16;

    private readonly List<(string Name, ulong Offset, ulong Size, bool NoBits)> sections = [];
    private readonly List<(ulong VirtualAddress, ulong Offset, ulong FileSize)> loads = [];

    private ElfImage()
    {
    }

    public static ElfImage Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 52)
        {
            throw new InvalidDataException("Truncated ELF header.");
        }

        var is64 = data[4] switch { 1 => false, 2 => true, _ => throw new InvalidDataException("Unknown ELF class.") };
        var big = data[5] switch { 1 => false, 2 => true, _ => throw new InvalidDataException("Unknown ELF byte order.") };
        var r = new Reader(big);
        if (is64 && data.Length < 64)
        {
            throw new InvalidDataException("Truncated ELF header.");
        }

        var elf = new ElfImage();
        var phoff = is64 ? r.U64(data, 0x20) : r.U32(data, 0x1C);
        var shoff = is64 ? r.U64(data, 0x28) : r.U32(data, 0x20);
        int phentsize = r.U16(data, is64 ? 0x36 : 0x2A), phnum = r.U16(data, is64 ? 0x38 : 0x2C);
        int shentsize = r.U16(data, is64 ? 0x3A : 0x2E), shnum = r.U16(data, is64 ? 0x3C : 0x30);
        int shstrndx = r.U16(data, is64 ? 0x3E : 0x32);

        for (var i = 0; i < Math.Min(phnum, MaxHeaders); i++)
        {
            var p = Offset(phoff + (ulong)(i * phentsize), is64 ? 56UL : 32UL, data.Length);
            if (r.U32(data, p) != 1)
            {
                continue; // PT_LOAD only.
            }

            elf.loads.Add(is64
                ? (r.U64(data, p + 16), r.U64(data, p + 8), r.U64(data, p + 32))
                : (r.U32(data, p + 8), r.U32(data, p + 4), r.U32(data, p + 16)));
        }

        if (shoff == 0 || shnum == 0 || shstrndx >= shnum)
        {
            return elf;
        }

        var raw = new List<(uint Name, uint Type, ulong Offset, ulong Size)>();
        for (var i = 0; i < Math.Min(shnum, MaxHeaders); i++)
        {
            var s = Offset(shoff + (ulong)(i * shentsize), is64 ? 64UL : 40UL, data.Length);
            raw.Add(is64
                ? (r.U32(data, s), r.U32(data, s + 4), r.U64(data, s + 24), r.U64(data, s + 32))
                : (r.U32(data, s), r.U32(data, s + 4), r.U32(data, s + 16), r.U32(data, s + 20)));
        }

        var strtab = raw[shstrndx];
        var names = Offset(strtab.Offset, strtab.Size, data.Length);
        var table = data.Slice(names, (int)strtab.Size);
        foreach (var s in raw)
        {
            if (s.Name >= table.Length)
            {
                continue;
            }

            var end = table[(int)s.Name..].IndexOf((byte)0);
            var name = Encoding.ASCII.GetString(table.Slice((int)s.Name, end < 0 ? table.Length - (int)s.Name : end));
            elf.sections.Add((name, s.Offset, s.Size, s.Type == 8));
        }

        return elf;
    }

    /// <summary>False when the section headers were stripped (sstrip) or never written.</summary>
    public bool HasSections => sections.Count > 0;

    /// <summary>The file range of a section with content, or null when absent.</summary>
    public (long Offset, long Size)? Section(ReadOnlySpan<byte> data, string name)
    {
        foreach (var s in sections)
        {
            if (s.Name == name && !s.NoBits && s.Offset < (ulong)data.Length)
            {
                return ((long)s.Offset, (long)Math.Min(s.Size, (ulong)data.Length - s.Offset));
            }
        }

        return null;
    }

    /// <summary>The file offset of <paramref name="length"/> bytes at a virtual address, through the PT_LOAD segments.</summary>
    public int FileOffset(ulong address, ulong length, int fileLength)
    {
        foreach (var (va, offset, size) in loads)
        {
            if (address >= va && address - va <= size && length <= size - (address - va))
            {
                return Offset(offset + (address - va), length, fileLength);
            }
        }

        throw new InvalidDataException($"Address 0x{address:x} is in no loadable segment.");
    }

    private static int Offset(ulong offset, ulong length, int fileLength) =>
        offset <= (ulong)fileLength && length <= (ulong)fileLength - offset
            ? (int)offset
            : throw new InvalidDataException("ELF structure points past the end of the file.");

    private readonly struct Reader(bool bigEndian)
    {
        public ushort U16(ReadOnlySpan<byte> d, int o) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(d[o..]) : BinaryPrimitives.ReadUInt16LittleEndian(d[o..]);

        public uint U32(ReadOnlySpan<byte> d, int o) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(d[o..]) : BinaryPrimitives.ReadUInt32LittleEndian(d[o..]);

        public ulong U64(ReadOnlySpan<byte> d, int o) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(d[o..]) : BinaryPrimitives.ReadUInt64LittleEndian(d[o..]);
    }
}
