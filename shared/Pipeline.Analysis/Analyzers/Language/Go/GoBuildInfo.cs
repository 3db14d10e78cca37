using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Analysis.Analyzers.Language.Go;

/// <summary>A module as Go's build info records it: path, version and checksum, and what replaced it (<c>=&gt;</c>).</summary>
internal sealed record GoModule(string Path, string Version, string? Sum, GoModule? Replace = null);

/// <summary>
/// What the Go linker embeds in every binary since Go 1.13 (what <c>go version -m</c> prints): the toolchain
/// version, the main package path, the main module and the dependency modules.
/// </summary>
internal sealed record GoBuildInfo(string GoVersion, string? Path, GoModule? Main, IReadOnlyList<GoModule> Deps)
{
    /// <summary>Parses the module text (<c>path</c>, <c>mod</c>, <c>dep</c> and <c>=&gt;</c> lines, tab-separated).</summary>
    public static GoBuildInfo Parse(string goVersion, string modInfo)
    {
        string? path = null;
        GoModule? main = null;
        var deps = new List<GoModule>();
        foreach (var line in modInfo.Split('\n'))
        {
            var f = line.Split('\t');
            switch (f[0])
            {
                case "path" when f.Length >= 2:
                    path = f[1];
                    break;
                case "mod" when f.Length >= 3:
                    main = new GoModule(f[1], f[2], f.Length >= 4 ? f[3] : null);
                    break;
                case "dep" when f.Length >= 3:
                    deps.Add(new GoModule(f[1], f[2], f.Length >= 4 ? f[3] : null));
                    break;
                case "=>" when f.Length >= 2:
                    // A replacement applies to the module on the line before it; a local directory has no version.
                    var replace = new GoModule(f[1], f.Length >= 3 ? f[2] : string.Empty, f.Length >= 4 ? f[3] : null);
                    if (deps.Count > 0)
                    {
                        deps[^1] = deps[^1] with { Replace = replace };
                    }
                    else if (main is not null)
                    {
                        main = main with { Replace = replace };
                    }

                    break;
            }
        }

        return new GoBuildInfo(goVersion, path, main, deps);
    }
}

/// <summary>
/// Finds and decodes the build info blob in an executable. The blob starts with the 14-byte magic
/// <c>\xff Go buildinf:</c>, a pointer size and a flags byte. Go 1.18 and later store the two strings inline
/// as varint-prefixed bytes (flag 2); older linkers store two pointers to Go string headers, which have to be
/// followed through the ELF program headers to file offsets.
/// </summary>
internal static class GoBuildInfoReader
{
    private const int HeaderSize = 32;
    private const int FlagBigEndian = 1;
    private const int FlagInline = 2;

    // The module text of a big program is a few tens of KiB; anything larger is not build info.
    private const int MaxStringLength = 4 << 20;

    // "\xff Go buildinf:" (a C# string literal would encode \xff as two UTF-8 bytes).
    private static ReadOnlySpan<byte> Magic => [0xff, 0x20, 0x47, 0x6f, 0x20, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x66, 0x3a];

    /// <summary>The executable formats Go builds; anything else is not looked at.</summary>
    public static bool IsExecutableFormat(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && (IsElf(data)
            || data[..2].SequenceEqual("MZ"u8)
            || BinaryPrimitives.ReadUInt32LittleEndian(data) is 0xfeedface or 0xfeedfacf or 0xcefaedfe or 0xcffaedfe);

    /// <summary>The build info, or null when <paramref name="data"/> is no Go binary.</summary>
    /// <exception cref="InvalidDataException">A build info header is there but what it points at is not.</exception>
    public static GoBuildInfo? Read(ReadOnlySpan<byte> data)
    {
        if (!IsExecutableFormat(data))
        {
            return null;
        }

        var elf = IsElf(data) ? ElfImage.Parse(data) : null;
        if (elf?.Section(data, ".go.buildinfo") is { } section)
        {
            var header = (int)section.Offset;
            if (data.Length - header >= HeaderSize && data.Slice(header, Magic.Length).SequenceEqual(Magic))
            {
                return Decode(data, header, elf);
            }
        }

        // Every Go linker since 1.13 writes the section in ELF; an ELF with section headers but without it is
        // no Go binary, and scanning all of it would only cost time.
        if (elf is { HasSections: true })
        {
            return null;
        }

        // Stripped section headers, Mach-O and PE: search for the magic. Only a header that decodes to a
        // "go…" version counts, because binaries that import debug/buildinfo also carry the magic as a constant.
        for (var start = 0; start < data.Length;)
        {
            var at = data[start..].IndexOf(Magic);
            if (at < 0)
            {
                return null;
            }

            var header = start + at;
            start = header + 1;
            if (data.Length - header < HeaderSize)
            {
                return null;
            }

            try
            {
                if (Decode(data, header, elf) is { } info)
                {
                    return info;
                }
            }
            catch (InvalidDataException)
            {
                // Not the real header; keep looking.
            }
        }

        return null;
    }

    private static GoBuildInfo? Decode(ReadOnlySpan<byte> data, int header, ElfImage? elf)
    {
        var ptrSize = data[header + 14];
        var flags = data[header + 15];
        string version;
        string mod;
        if ((flags & FlagInline) != 0)
        {
            var pos = header + HeaderSize;
            version = ReadVarintString(data, ref pos);
            mod = ReadVarintString(data, ref pos);
        }
        else
        {
            if (ptrSize is not (4 or 8) || elf is null)
            {
                // The pointer format needs address translation, which is done for ELF only.
                return null;
            }

            var bigEndian = (flags & FlagBigEndian) != 0;
            version = ReadGoString(data, elf, ReadPointer(data, header + 16, ptrSize, bigEndian), ptrSize, bigEndian);
            mod = ReadGoString(data, elf, ReadPointer(data, header + 16 + ptrSize, ptrSize, bigEndian), ptrSize, bigEndian);
        }

        if (!version.StartsWith("go", StringComparison.Ordinal) && !version.StartsWith("devel", StringComparison.Ordinal))
        {
            return null;
        }

        // The module text is framed by two 16-byte sentinels so the linker can find it; strip them.
        if (mod.Length >= 33 && mod[^17] == '\n')
        {
            mod = mod[16..^16];
        }

        return GoBuildInfo.Parse(version, mod);
    }

    private static string ReadVarintString(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (pos >= data.Length || shift > 63)
            {
                throw new InvalidDataException("Truncated build info length.");
            }

            var b = data[pos++];
            length |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > MaxStringLength || length > (ulong)(data.Length - pos))
        {
            throw new InvalidDataException("Build info string runs past the end of the file.");
        }

        var s = Encoding.UTF8.GetString(data.Slice(pos, (int)length));
        pos += (int)length;
        return s;
    }

    private static string ReadGoString(ReadOnlySpan<byte> data, ElfImage elf, ulong headerAddress, int ptrSize, bool bigEndian)
    {
        var hdr = elf.FileOffset(headerAddress, (ulong)(2 * ptrSize), data.Length);
        var address = ReadPointer(data, hdr, ptrSize, bigEndian);
        var length = ReadPointer(data, hdr + ptrSize, ptrSize, bigEndian);
        if (length > MaxStringLength)
        {
            throw new InvalidDataException("Build info string too long.");
        }

        var offset = elf.FileOffset(address, length, data.Length);
        return Encoding.UTF8.GetString(data.Slice(offset, (int)length));
    }

    private static ulong ReadPointer(ReadOnlySpan<byte> data, int offset, int ptrSize, bool bigEndian)
    {
        if (offset < 0 || offset > data.Length - ptrSize)
        {
            throw new InvalidDataException("Build info pointer outside the file.");
        }

        var s = data.Slice(offset, ptrSize);
        return ptrSize == 8
            ? (bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s))
            : (bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s));
    }

    private static bool IsElf(ReadOnlySpan<byte> data) => data.Length >= 4 && data[..4].SequenceEqual("\u007fELF"u8);
}
