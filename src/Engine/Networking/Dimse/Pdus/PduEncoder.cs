using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>Encodes PDUs to their wire form (PS3.8 9.3: big-endian lengths, AE titles space-padded to 16 bytes).</summary>
public static class PduEncoder
{
    public static byte[] Encode(IPdu pdu) => pdu switch
    {
        AssociateRequest rq => Associate(PduType.AssociateRequest, rq.CalledAE, rq.CallingAE, rq.ApplicationContext,
            body => { foreach (var pc in rq.PresentationContexts) { WriteProposedContext(body, pc); } }, rq.UserInformation),
        AssociateAccept ac => Associate(PduType.AssociateAccept, ac.CalledAE, ac.CallingAE, ac.ApplicationContext,
            body => { foreach (var pc in ac.PresentationContexts) { WriteContextResult(body, pc); } }, ac.UserInformation),
        AssociateReject rj => Fixed(PduType.AssociateReject, [0, rj.Result, rj.Source, rj.Reason]),
        AbortPdu ab => Fixed(PduType.Abort, [0, 0, ab.Source, ab.Reason]),
        ReleaseRequestPdu => Fixed(PduType.ReleaseRequest, [0, 0, 0, 0]),
        ReleaseResponsePdu => Fixed(PduType.ReleaseResponse, [0, 0, 0, 0]),
        DataTransferPdu pd => DataTransfer(pd),
        _ => throw new ArgumentException($"Unknown PDU {pdu.GetType().Name}.", nameof(pdu)),
    };

    private static byte[] Fixed(PduType type, byte[] body) => WithHeader(type, body);

    private static byte[] DataTransfer(DataTransferPdu pdu)
    {
        var body = new MemoryStream();
        Span<byte> head = stackalloc byte[6];
        foreach (var pdv in pdu.Values)
        {
            BinaryPrimitives.WriteUInt32BigEndian(head, (uint)(pdv.Data.Length + 2));
            head[4] = pdv.PresentationContextId;
            head[5] = pdv.ControlHeader;
            body.Write(head);
            body.Write(pdv.Data.Span);
        }

        return WithHeader(PduType.DataTransfer, body.ToArray());
    }

    private static byte[] Associate(PduType type, string called, string calling, string context, Action<MemoryStream> contexts, UserInformation user)
    {
        var body = new MemoryStream();
        body.Write([0, 1, 0, 0]);
        body.Write(AeTitle(called));
        body.Write(AeTitle(calling));
        body.Write(new byte[32]);
        WriteItem(body, 0x10, Ascii(context));
        contexts(body);
        WriteUserInformation(body, user);
        return WithHeader(type, body.ToArray());
    }

    private static void WriteProposedContext(MemoryStream body, PresentationContext pc)
    {
        var item = new MemoryStream();
        item.Write([pc.Id, 0, 0, 0]);
        WriteItem(item, 0x30, Ascii(pc.AbstractSyntax));
        foreach (var ts in pc.TransferSyntaxes)
        {
            WriteItem(item, 0x40, Ascii(ts));
        }

        WriteItem(body, 0x20, item.ToArray());
    }

    private static void WriteContextResult(MemoryStream body, PresentationContextResult pc)
    {
        var item = new MemoryStream();
        item.Write([pc.Id, 0, (byte)pc.Outcome, 0]);
        WriteItem(item, 0x40, Ascii(pc.TransferSyntax));
        WriteItem(body, 0x21, item.ToArray());
    }

    private static void WriteUserInformation(MemoryStream body, UserInformation user)
    {
        var item = new MemoryStream();
        var max = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(max, user.MaxPduLength);
        WriteItem(item, 0x51, max);
        WriteItem(item, 0x52, Ascii(user.ImplementationClassUid));
        foreach (var role in user.RoleSelections)
        {
            var uid = Ascii(role.SopClassUid);
            var value = new byte[uid.Length + 4];
            BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)uid.Length);
            uid.CopyTo(value, 2);
            value[^2] = role.ScuRole ? (byte)1 : (byte)0;
            value[^1] = role.ScpRole ? (byte)1 : (byte)0;
            WriteItem(item, 0x54, value);
        }

        if (!string.IsNullOrEmpty(user.ImplementationVersionName))
        {
            WriteItem(item, 0x55, Ascii(user.ImplementationVersionName));
        }

        WriteItem(body, 0x50, item.ToArray());
    }

    private static void WriteItem(MemoryStream target, byte type, byte[] value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"PDU item {type:X2}H of {value.Length} bytes exceeds 65535.", nameof(value));
        }

        Span<byte> head = [type, 0, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)value.Length);
        target.Write(head);
        target.Write(value);
    }

    private static byte[] WithHeader(PduType type, byte[] body)
    {
        var pdu = new byte[body.Length + 6];
        pdu[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)body.Length);
        body.CopyTo(pdu, 6);
        return pdu;
    }

    private static byte[] AeTitle(string title)
    {
        var bytes = new byte[16];
        bytes.AsSpan().Fill((byte)' ');
        Encoding.ASCII.GetBytes(title, bytes);
        return bytes;
    }

    private static byte[] Ascii(string value) => Encoding.ASCII.GetBytes(value);

    /// <summary>Encodes a PDU list of a data-transfer body for tests and writers that already hold all values.</summary>
    public static byte[] Encode(IEnumerable<PresentationDataValue> values) => Encode(new DataTransferPdu([.. values]));
}
