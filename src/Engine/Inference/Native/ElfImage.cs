using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MdaiClara.Engine.Inference.Native;

/// <summary>A version requirement of a shared library (.gnu.version_r): "needs GLIBCXX_3.4.32 from libstdc++.so.6".</summary>
public sealed record ElfVersionNeed(string File, string Version, ushort Index, ushort Flags, long FlagsOffset)
{
    public const ushort WeakFlag = 0x2;

    public bool IsWeak => (Flags & WeakFlag) != 0;
}

/// <summary>A dynamic symbol (.dynsym entry <paramref name="Index"/>) and the version index it is bound to (.gnu.version).</summary>
public sealed record ElfVersionedSymbol(string Name, long Index, ushort VersionIndex, long VersionOffset, byte Info, long InfoOffset)
{
    public const byte BindGlobal = 1;
    public const byte BindWeak = 2;

    /// <summary>STB_* of st_info: 1 global, 2 weak.</summary>
    public byte Binding => (byte)(Info >> 4);

    public bool IsWeak => Binding == BindWeak;

    /// <summary>Version index 0 (local) or 1 (global): no particular version is required.</summary>
    public bool IsUnversioned => (VersionIndex & 0x7fff) <= 1;
}

/// <summary>
/// Just enough of a 64-bit little-endian ELF shared object to read and edit its symbol versioning: the
/// version needs, the versions it defines, its dynamic symbols and the relocations that refer to them, its DT_NEEDED
/// list and RUNPATH. Edits are in place on a byte array and never move anything (no section grows).
/// </summary>
public sealed class ElfImage
{
    private const uint ShtRela = 4;
    private const uint ShtDynamic = 6;
    private const uint ShtRel = 9;
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const long DtNeeded = 1;
    private const long DtRpath = 15;
    private const long DtRunpath = 29;

    private readonly byte[] _data;
    private readonly List<Section> _sections = new();

    public ElfImage(byte[] data)
    {
        _data = data;
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
        {
            throw new FormatException("not an ELF file");
        }

        if (data[4] != 2 || data[5] != 1)
        {
            throw new FormatException("only 64-bit little-endian ELF files are supported");
        }

        var shoff = (long)U64(0x28);
        var shentsize = U16(0x3A);
        var shnum = U16(0x3C);
        if (shoff <= 0 || shentsize < 64 || shoff + ((long)shnum * shentsize) > data.Length)
        {
            throw new FormatException("the section header table is missing or truncated");
        }

        for (var i = 0; i < shnum; i++)
        {
            var at = shoff + ((long)i * shentsize);
            _sections.Add(new Section(U32(at + 4), (long)U64(at + 0x18), (long)U64(at + 0x20), U32(at + 0x28), U32(at + 0x2C), (long)U64(at + 0x38)));
        }

        foreach (var s in _sections)
        {
            if (s.Type != 8 /* SHT_NOBITS */ && s.Offset + s.Size > data.Length)
            {
                throw new FormatException("a section lies past the end of the file (truncated?)");
            }
        }
    }

    public byte[] Data => _data;

    /// <summary>Every (file, version) pair the object needs, with its version index and flags.</summary>
    public IReadOnlyList<ElfVersionNeed> VersionNeeds()
    {
        var result = new List<ElfVersionNeed>();
        foreach (var section in _sections.FindAll(s => s.Type == ShtGnuVerneed))
        {
            var strings = Linked(section);
            var at = section.Offset;
            for (var guard = 0; guard < 4096; guard++)
            {
                var count = U16(at + 2);
                var file = ReadString(strings, U32(at + 4));
                var aux = at + U32(at + 8);
                for (var j = 0; j < count; j++)
                {
                    result.Add(new ElfVersionNeed(file, ReadString(strings, U32(aux + 8)), U16(aux + 6), U16(aux + 4), aux + 4));
                    var nextAux = U32(aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                var next = U32(at + 12);
                if (next == 0)
                {
                    break;
                }

                at += next;
            }
        }

        return result;
    }

    /// <summary>The version names the object defines (.gnu.version_d), e.g. GLIBCXX_3.4.30 in libstdc++.</summary>
    public IReadOnlyList<string> VersionDefinitions()
    {
        var result = new List<string>();
        foreach (var section in _sections.FindAll(s => s.Type == ShtGnuVerdef))
        {
            var strings = Linked(section);
            var at = section.Offset;
            for (var guard = 0; guard < 4096; guard++)
            {
                var aux = at + U32(at + 12);
                result.Add(ReadString(strings, U32(aux)));
                var next = U32(at + 16);
                if (next == 0)
                {
                    break;
                }

                at += next;
            }
        }

        return result;
    }

    /// <summary>Dynamic symbols whose .gnu.version entry is <paramref name="versionIndex"/>.</summary>
    public IReadOnlyList<ElfVersionedSymbol> SymbolsWithVersion(ushort versionIndex) =>
        DynamicSymbols().Where(s => (s.VersionIndex & 0x7fff) == versionIndex).ToList();

    /// <summary>The dynamic symbols named <paramref name="name"/> (normally one).</summary>
    public IReadOnlyList<ElfVersionedSymbol> SymbolsNamed(string name) =>
        DynamicSymbols().Where(s => string.Equals(s.Name, name, StringComparison.Ordinal)).ToList();

    /// <summary>Every .dynsym entry with its version index (index 1, global, when the object has no .gnu.version).</summary>
    public IReadOnlyList<ElfVersionedSymbol> DynamicSymbols()
    {
        var result = new List<ElfVersionedSymbol>();
        var dynsym = _sections.Find(s => s.Type == ShtDynsym);
        if (dynsym is null || dynsym.EntrySize < 24)
        {
            return result;
        }

        var versym = _sections.Find(s => s.Type == ShtGnuVersym);
        var strings = Linked(dynsym);
        var count = dynsym.Size / dynsym.EntrySize;
        for (long i = 0; i < count; i++)
        {
            var at = dynsym.Offset + (i * dynsym.EntrySize);
            var versionOffset = versym is not null && (i * 2) + 2 <= versym.Size ? versym.Offset + (i * 2) : -1;
            var version = versionOffset >= 0 ? U16(versionOffset) : (ushort)1;
            result.Add(new ElfVersionedSymbol(ReadString(strings, U32(at)), i, version, versionOffset, _data[at + 4], at + 4));
        }

        return result;
    }

    /// <summary>
    /// The .dynsym indices that some dynamic relocation (REL or RELA, including the PLT's) refers to: the symbols the
    /// loader must resolve. A symbol outside this set is never looked up when the object is loaded.
    /// </summary>
    public IReadOnlySet<long> RelocatedSymbols()
    {
        var result = new HashSet<long>();
        var dynsymIndex = _sections.FindIndex(s => s.Type == ShtDynsym);
        foreach (var section in _sections.FindAll(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == dynsymIndex))
        {
            var entry = section.EntrySize > 0 ? section.EntrySize : section.Type == ShtRela ? 24 : 16;
            for (var at = section.Offset; at + entry <= section.Offset + section.Size; at += entry)
            {
                var symbol = (long)(U64(at + 8) >> 32);
                if (symbol != 0)
                {
                    result.Add(symbol);
                }
            }
        }

        return result;
    }

    public IReadOnlyList<string> Needed() => DynamicStrings(DtNeeded);

    public string? RunPath()
    {
        var runpath = DynamicStrings(DtRunpath);
        if (runpath.Count > 0)
        {
            return runpath[0];
        }

        var rpath = DynamicStrings(DtRpath);
        return rpath.Count > 0 ? rpath[0] : null;
    }

    /// <summary>Sets VER_FLG_WEAK on a version need, so the loader tolerates its absence.</summary>
    public void MarkWeak(ElfVersionNeed need) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_data.AsSpan((int)need.FlagsOffset, 2), (ushort)(need.Flags | ElfVersionNeed.WeakFlag));

    /// <summary>Binds a symbol to version index 1 (global, unversioned): any definition satisfies it.</summary>
    public void MakeUnversioned(ElfVersionedSymbol symbol)
    {
        if (symbol.VersionOffset < 0)
        {
            throw new InvalidOperationException($"{symbol.Name} has no .gnu.version entry to change");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_data.AsSpan((int)symbol.VersionOffset, 2), 1);
    }

    /// <summary>Gives a symbol weak binding (STB_WEAK), keeping its type: an undefined weak symbol may stay unresolved.</summary>
    public void MakeWeak(ElfVersionedSymbol symbol) =>
        _data[symbol.InfoOffset] = (byte)((ElfVersionedSymbol.BindWeak << 4) | (symbol.Info & 0xf));

    private List<string> DynamicStrings(long tag)
    {
        var result = new List<string>();
        var dynamic = _sections.Find(s => s.Type == ShtDynamic);
        if (dynamic is null)
        {
            return result;
        }

        var strings = Linked(dynamic);
        for (var at = dynamic.Offset; at + 16 <= dynamic.Offset + dynamic.Size; at += 16)
        {
            var t = (long)U64(at);
            if (t == 0)
            {
                break;
            }

            if (t == tag)
            {
                result.Add(ReadString(strings, (uint)U64(at + 8)));
            }
        }

        return result;
    }

    private Section Linked(Section section) =>
        section.Link < _sections.Count ? _sections[(int)section.Link] : throw new FormatException("a section links to a section that does not exist");

    private string ReadString(Section strings, uint offset)
    {
        var start = strings.Offset + offset;
        if (offset >= strings.Size || start >= _data.Length)
        {
            throw new FormatException("a string offset lies outside its string table");
        }

        var end = start;
        while (end < _data.Length && _data[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(_data, (int)start, (int)(end - start));
    }

    private ushort U16(long at) => at + 2 <= _data.Length ? BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan((int)at, 2)) : throw Truncated();

    private uint U32(long at) => at + 4 <= _data.Length ? BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan((int)at, 4)) : throw Truncated();

    private ulong U64(long at) => at + 8 <= _data.Length ? BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan((int)at, 8)) : throw Truncated();

    private static FormatException Truncated() => new("the ELF file is truncated");

    private sealed record Section(uint Type, long Offset, long Size, uint Link, uint Info, long EntrySize);
}
