using System;
using System.Buffers.Binary;
using System.IO;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>
/// Reads and writes whole PDUs on a stream. The 6-byte header is checked before anything is allocated: an unknown
/// type or a length above what may arrive (the maximum we announced for P-DATA-TF, <see cref="DimseLimits.MaxAssociationPduLength"/>
/// for association PDUs, and never above <see cref="DimseLimits.HardMaxPduLength"/>) is a protocol error. The stream's
/// own read timeout bounds every read; a stream that ends inside a PDU is <see cref="ErrorIds.DimsePeerClosed"/>.
/// The values of a P-DATA-TF that <see cref="Read"/> returns share one buffer: they are valid until the next Read.
/// </summary>
public sealed class PduStream
{
    private readonly Stream _stream;
    private readonly string _peer;
    private readonly TimeSpan _timeout;
    private byte[] _dataBuffer = [];

    public PduStream(Stream stream, string peer, TimeSpan timeout)
    {
        _stream = stream;
        _peer = peer;
        _timeout = timeout;
    }

    /// <summary>The largest P-DATA-TF variable part we accept (the maximum length we announced; 0 = the hard cap).</summary>
    public uint MaxIncomingDataLength { get; set; } = DimseLimits.DefaultMaxPduLength;

    public IPdu Read(string step)
    {
        Span<byte> header = stackalloc byte[6];
        ReadExactly(header, step, atPduStart: true);
        var type = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        if (type is < 1 or > 7)
        {
            throw PduDecoder.Malformed(_peer, $"unknown PDU type {type:X2}H", 0);
        }

        var limit = (PduType)type switch
        {
            PduType.DataTransfer => MaxIncomingDataLength == 0 ? DimseLimits.HardMaxPduLength : Math.Min(MaxIncomingDataLength, DimseLimits.HardMaxPduLength),
            PduType.AssociateRequest or PduType.AssociateAccept => DimseLimits.MaxAssociationPduLength,
            _ => 4u,
        };
        if (length > limit)
        {
            throw PduDecoder.Malformed(_peer, $"{(PduType)type} declares {length} bytes, more than the {limit} allowed", 2);
        }

        if ((PduType)type == PduType.DataTransfer)
        {
            // One buffer for every P-DATA-TF of the association (no per-PDU allocation on the large-object heap); the
            // PDV values are slices of it, valid until the next Read.
            if (_dataBuffer.Length < length)
            {
                _dataBuffer = new byte[length];
            }

            var data = _dataBuffer.AsMemory(0, (int)length);
            ReadExactly(data.Span, step, atPduStart: false);
            return PduDecoder.DecodeData(data, _peer);
        }

        var body = new byte[length];
        ReadExactly(body, step, atPduStart: false);
        return PduDecoder.Decode((PduType)type, body, _peer);
    }

    public void Write(IPdu pdu, string step) => WriteEncoded(PduEncoder.Encode(pdu), step);

    /// <summary>Writes bytes that already form whole PDUs (header included) in one write, so a PDU never leaves in pieces.</summary>
    public void WriteEncoded(ReadOnlySpan<byte> bytes, string step)
    {
        try
        {
            _stream.Write(bytes);
            _stream.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            throw DimseTransportErrors.From(e, _peer, step, _timeout);
        }
    }

    private void ReadExactly(Span<byte> buffer, string step, bool atPduStart)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = _stream.Read(buffer[read..]);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                throw DimseTransportErrors.From(e, _peer, step, _timeout);
            }

            if (n == 0)
            {
                var where = atPduStart && read == 0 ? "" : $" (after {read} of {buffer.Length} bytes of a PDU)";
                throw DimseTransportErrors.From(new EndOfStreamException("end of stream" + where), _peer, step + where, _timeout);
            }

            read += n;
        }
    }
}
