using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse.Messages;

/// <summary>
/// A DIMSE command set: group 0000 elements in Implicit VR Little Endian (PS3.7 6.3.1), always encoded with its
/// Command Group Length first. Values are kept as raw bytes; the accessors read them as the VR the tag has
/// (US, UL, UI/AE strings), so a decoded command needs no dictionary.
/// </summary>
public sealed class DimseCommand
{
    private readonly SortedDictionary<uint, byte[]> _elements = new();

    public DimseCommandField Field => (DimseCommandField)GetUInt16(DimseCommandTags.CommandField);

    public ushort MessageId => GetUInt16(DimseCommandTags.MessageId);

    public ushort Status => GetUInt16(DimseCommandTags.Status);

    public bool HasDataSet => TryGetUInt16(DimseCommandTags.CommandDataSetType, out var type) && type != DimseCommandTags.NoDataSet;

    public IReadOnlyCollection<uint> Tags => _elements.Keys;

    public DimseCommand SetUInt16(uint tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _elements[tag] = bytes;
        return this;
    }

    /// <summary>Sets a UI (null-padded) or AE/LO (space-padded) string value, padded to even length.</summary>
    public DimseCommand SetString(uint tag, string value, bool isUid)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = isUid ? (byte)0 : (byte)' ';
        }

        _elements[tag] = bytes;
        return this;
    }

    public bool Contains(uint tag) => _elements.ContainsKey(tag);

    public ushort GetUInt16(uint tag) => TryGetUInt16(tag, out var value) ? value
        : throw new MdaiClaraException($"The DIMSE command has no 2-byte element ({tag >> 16:X4},{tag & 0xFFFF:X4}) although the message requires it.",
            ErrorIds.DimseProtocolError, ErrorKind.InvalidData, tag);

    public bool TryGetUInt16(uint tag, out ushort value)
    {
        value = 0;
        if (!_elements.TryGetValue(tag, out var bytes) || bytes.Length != 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        return true;
    }

    public string? GetString(uint tag) => _elements.TryGetValue(tag, out var bytes) ? Encoding.ASCII.GetString(bytes).TrimEnd('\0', ' ') : null;

    /// <summary>The command in Implicit VR Little Endian with (0000,0000) Command Group Length first.</summary>
    public byte[] Encode()
    {
        var body = new MemoryStream();
        foreach (var (tag, value) in _elements.Where(e => e.Key != DimseCommandTags.CommandGroupLength))
        {
            WriteElement(body, tag, value);
        }

        var result = new MemoryStream();
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)body.Length);
        WriteElement(result, DimseCommandTags.CommandGroupLength, length);
        body.WriteTo(result);
        return result.ToArray();
    }

    /// <summary>Decodes a command set; anything outside group 0000, or an element running past the end, is a protocol error.</summary>
    public static DimseCommand Decode(ReadOnlySpan<byte> bytes, string peer)
    {
        var command = new DimseCommand();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 8)
            {
                throw Malformed(peer, $"{bytes.Length - at} stray bytes at the end", at);
            }

            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]);
            if (group != 0)
            {
                throw Malformed(peer, $"element ({group:X4},{element:X4}) outside group 0000", at);
            }

            if (length > bytes.Length - at - 8)
            {
                throw Malformed(peer, $"element (0000,{element:X4}) declares {length} bytes but {bytes.Length - at - 8} remain", at);
            }

            command._elements[element] = bytes.Slice(at + 8, (int)length).ToArray();
            at += 8 + (int)length;
        }

        if (!command.Contains(DimseCommandTags.CommandField))
        {
            throw Malformed(peer, "no Command Field (0000,0100)", 0);
        }

        return command;
    }

    private static MdaiClaraException Malformed(string peer, string what, int offset) => new(
        $"The DICOM peer {peer} sent a malformed DIMSE command set: {what} (at byte {offset} of the command). This is a protocol error on the peer's side.",
        ErrorIds.DimseProtocolError, ErrorKind.InvalidData, peer);

    private static void WriteElement(Stream target, uint tag, byte[] value)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(head, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], (ushort)(tag & 0xFFFF));
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], (uint)value.Length);
        target.Write(head);
        target.Write(value);
    }
}
