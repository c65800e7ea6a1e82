using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>
/// Decodes a PDU body (the bytes after the 6-byte header) of a known type. Anything malformed (an item that runs past
/// its parent, a wrong fixed length, a PDV shorter than its header) is a <see cref="ErrorIds.DimseProtocolError"/>
/// that names the PDU, the item and the byte offset; nothing is allocated beyond the body already read.
/// </summary>
public static class PduDecoder
{
    public static IPdu Decode(PduType type, ReadOnlySpan<byte> body, string peer) => type switch
    {
        PduType.AssociateRequest => DecodeRequest(body, peer),
        PduType.AssociateAccept => DecodeAccept(body, peer),
        PduType.AssociateReject => FixedFour(body, type, peer, b => new AssociateReject(b[1], b[2], b[3])),
        PduType.Abort => FixedFour(body, type, peer, b => new AbortPdu(b[2], b[3])),
        PduType.ReleaseRequest => FixedFour(body, type, peer, _ => new ReleaseRequestPdu()),
        PduType.ReleaseResponse => FixedFour(body, type, peer, _ => new ReleaseResponsePdu()),
        PduType.DataTransfer => DecodeData(body.ToArray(), peer),
        _ => throw Malformed(peer, $"unknown PDU type {(byte)type:X2}H", 0),
    };

    internal static MdaiClaraException Malformed(string peer, string what, long offset) => new(
        $"The DICOM peer {peer} sent a malformed PDU: {what} (at byte {offset} of the PDU). This is a protocol error on the peer's side; check its software and logs, or the network path between us.",
        ErrorIds.DimseProtocolError, ErrorKind.InvalidData, peer);

    private static IPdu FixedFour(ReadOnlySpan<byte> body, PduType type, string peer, Func<byte[], IPdu> make)
    {
        if (body.Length != 4)
        {
            throw Malformed(peer, $"{type} has a length of {body.Length} where 4 is prescribed", 2);
        }

        return make(body.ToArray());
    }

    /// <summary>
    /// Decodes a P-DATA-TF body whose PDV values are slices of <paramref name="memory"/> (no copy): the caller keeps the
    /// memory unchanged for as long as it uses the values.
    /// </summary>
    internal static DataTransferPdu DecodeData(ReadOnlyMemory<byte> memory, string peer)
    {
        var body = memory.Span;
        var values = new List<PresentationDataValue>();
        var at = 0;
        while (at < body.Length)
        {
            if (body.Length - at < 6)
            {
                throw Malformed(peer, $"P-DATA-TF ends with {body.Length - at} bytes, too few for a PDV header", at + 6);
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(body[at..]);
            if (length < 2 || length > body.Length - at - 4)
            {
                throw Malformed(peer, $"a PDV item length of {length} does not fit the {body.Length - at - 4} bytes left in the P-DATA-TF", at + 6);
            }

            var control = body[at + 5];
            if ((control & 0xFC) != 0)
            {
                throw Malformed(peer, $"a PDV message control header {control:X2}H has reserved bits set", at + 11);
            }

            values.Add(new PresentationDataValue(body[at + 4], (control & 1) != 0, (control & 2) != 0, memory.Slice(at + 6, (int)length - 2)));
            at += 4 + (int)length;
        }

        if (values.Count == 0)
        {
            throw Malformed(peer, "a P-DATA-TF without any PDV", 6);
        }

        return new DataTransferPdu(values);
    }

    private static AssociateRequest DecodeRequest(ReadOnlySpan<byte> body, string peer)
    {
        var (called, calling) = FixedAssociateFields(body, peer);
        string? context = null;
        var contexts = new List<PresentationContext>();
        UserInformation? user = null;
        foreach (var (type, offset, value) in Items(body, 68, peer, "A-ASSOCIATE-RQ"))
        {
            switch (type)
            {
                case 0x10: context = Uid(value); break;
                case 0x20: contexts.Add(ProposedContext(value, offset, peer)); break;
                case 0x50: user = User(value, offset, peer); break;
                default: throw Malformed(peer, $"unknown item type {type:X2}H in A-ASSOCIATE-RQ", offset);
            }
        }

        return new AssociateRequest(called, calling, context ?? throw Malformed(peer, "A-ASSOCIATE-RQ without an application context item", 74),
            contexts, user ?? throw Malformed(peer, "A-ASSOCIATE-RQ without a user information item", 74));
    }

    private static AssociateAccept DecodeAccept(ReadOnlySpan<byte> body, string peer)
    {
        var (called, calling) = FixedAssociateFields(body, peer);
        string? context = null;
        var contexts = new List<PresentationContextResult>();
        UserInformation? user = null;
        foreach (var (type, offset, value) in Items(body, 68, peer, "A-ASSOCIATE-AC"))
        {
            switch (type)
            {
                case 0x10: context = Uid(value); break;
                case 0x21: contexts.Add(ContextResult(value, offset, peer)); break;
                case 0x50: user = User(value, offset, peer); break;
                default: throw Malformed(peer, $"unknown item type {type:X2}H in A-ASSOCIATE-AC", offset);
            }
        }

        return new AssociateAccept(called, calling, context ?? throw Malformed(peer, "A-ASSOCIATE-AC without an application context item", 74),
            contexts, user ?? throw Malformed(peer, "A-ASSOCIATE-AC without a user information item", 74));
    }

    private static (string Called, string Calling) FixedAssociateFields(ReadOnlySpan<byte> body, string peer)
    {
        if (body.Length < 68)
        {
            throw Malformed(peer, $"an association PDU of {body.Length} bytes, shorter than its 68-byte fixed part", 6);
        }

        return (Encoding.ASCII.GetString(body.Slice(4, 16)).Trim(), Encoding.ASCII.GetString(body.Slice(20, 16)).Trim());
    }

    private static PresentationContext ProposedContext(byte[] value, long offset, string peer)
    {
        if (value.Length < 4)
        {
            throw Malformed(peer, "a presentation context item shorter than 4 bytes", offset);
        }

        string? abstractSyntax = null;
        var transfer = new List<string>();
        foreach (var (type, sub, bytes) in Items(value, 4, peer, "presentation context"))
        {
            switch (type)
            {
                case 0x30: abstractSyntax = Uid(bytes); break;
                case 0x40: transfer.Add(Uid(bytes)); break;
                default: throw Malformed(peer, $"unknown sub-item {type:X2}H in a presentation context", offset + sub);
            }
        }

        return new PresentationContext(value[0], abstractSyntax ?? throw Malformed(peer, $"presentation context {value[0]} without an abstract syntax", offset), transfer);
    }

    private static PresentationContextResult ContextResult(byte[] value, long offset, string peer)
    {
        if (value.Length < 4)
        {
            throw Malformed(peer, "a presentation context item shorter than 4 bytes", offset);
        }

        var transfer = "";
        foreach (var (type, sub, bytes) in Items(value, 4, peer, "presentation context"))
        {
            if (type != 0x40)
            {
                throw Malformed(peer, $"unknown sub-item {type:X2}H in an accepted presentation context", offset + sub);
            }

            transfer = Uid(bytes);
        }

        return new PresentationContextResult(value[0], (PresentationContextOutcome)value[2], transfer);
    }

    private static UserInformation User(byte[] value, long offset, string peer)
    {
        uint max = 0;
        string? classUid = null;
        string? version = null;
        var roles = new List<RoleSelection>();
        var unknown = 0;
        foreach (var (type, sub, bytes) in Items(value, 0, peer, "user information"))
        {
            switch (type)
            {
                case 0x51 when bytes.Length == 4: max = BinaryPrimitives.ReadUInt32BigEndian(bytes); break;
                case 0x51: throw Malformed(peer, $"a maximum length sub-item of {bytes.Length} bytes where 4 is prescribed", offset + sub);
                case 0x52: classUid = Uid(bytes); break;
                case 0x55: version = Encoding.ASCII.GetString(bytes).Trim(); break;
                case 0x54: roles.Add(Role(bytes, offset + sub, peer)); break;
                default: unknown++; break;
            }
        }

        return new UserInformation(max, classUid ?? "", version, roles) { UnknownSubItems = unknown };
    }

    private static RoleSelection Role(byte[] value, long offset, string peer)
    {
        if (value.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(value) != value.Length - 4)
        {
            throw Malformed(peer, "an SCP/SCU role selection sub-item whose UID length does not match the item length", offset);
        }

        return new RoleSelection(Uid(value.AsSpan(2, value.Length - 4).ToArray()), value[^2] == 1, value[^1] == 1);
    }

    private static List<(byte Type, long Offset, byte[] Value)> Items(ReadOnlySpan<byte> span, int start, string peer, string parent)
    {
        var items = new List<(byte, long, byte[])>();
        var at = start;
        while (at < span.Length)
        {
            if (span.Length - at < 4)
            {
                throw Malformed(peer, $"{span.Length - at} stray bytes at the end of the {parent}, too few for an item header", at + 6);
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(span[(at + 2)..]);
            if (length > span.Length - at - 4)
            {
                throw Malformed(peer, $"item {span[at]:X2}H declares {length} bytes but only {span.Length - at - 4} remain in the {parent}", at + 6);
            }

            items.Add((span[at], at + 6, span.Slice(at + 4, length).ToArray()));
            at += 4 + length;
        }

        return items;
    }

    private static string Uid(byte[] value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
}
