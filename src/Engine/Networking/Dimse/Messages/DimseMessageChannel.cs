using System;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse.Messages;

/// <summary>
/// Sends and receives whole DIMSE messages over an established association: outgoing commands and data sets are cut
/// into P-DATA-TF PDUs no larger than the peer's maximum; incoming PDVs are joined until the last fragment of the
/// data set (or of the command when none follows). A-ABORT from the peer ends it with <see cref="ErrorIds.DimseAssociationAborted"/>.
/// </summary>
public sealed class DimseMessageChannel
{
    private readonly PduStream _pdus;
    private readonly string _peer;

    public DimseMessageChannel(PduStream pdus, string peer, uint peerMaxPduLength)
    {
        _pdus = pdus;
        _peer = peer;
        var max = peerMaxPduLength == 0 ? DimseLimits.HardMaxPduLength : Math.Min(peerMaxPduLength, DimseLimits.HardMaxPduLength);
        MaxFragment = (int)Math.Max(max, DimseLimits.MinPduLength) - 6;
    }

    /// <summary>The largest PDV value sent in one P-DATA-TF (the peer's maximum PDU length less the PDV header).</summary>
    public int MaxFragment { get; }

    public void Send(DimseMessage message, string step)
    {
        SendFragments(message.PresentationContextId, message.Command.Encode(), isCommand: true, step);
        if (message.DataSet is { } data)
        {
            SendFragments(message.PresentationContextId, data, isCommand: false, step);
        }
    }

    /// <summary>Sends a command alone; its data set (if the command says one follows) goes through <see cref="BeginDataSet"/>.</summary>
    public void SendCommand(byte presentationContextId, DimseCommand command, string step) =>
        SendFragments(presentationContextId, command.Encode(), isCommand: true, step);

    /// <summary>A stream that sends a data set as P-DATA fragments of the peer's maximum size; call <see cref="PDataWriteStream.Complete"/> at its end.</summary>
    public PDataWriteStream BeginDataSet(byte presentationContextId, string step) =>
        new(_pdus, presentationContextId, isCommand: false, MaxFragment, step);

    public DimseMessage Receive(string step) => Receive(step, null);

    /// <summary>
    /// Receives the next message; when <paramref name="dataSink"/> gives a stream for its command (a C-STORE data set
    /// bound for disk), the data set is written there fragment by fragment instead of being held in memory, and the
    /// message comes back with <see cref="DimseMessage.DataSet"/> null.
    /// </summary>
    public DimseMessage Receive(string step, Func<byte, DimseCommand, Stream?>? dataSink)
    {
        var (message, control) = ReceiveOrControl(step, dataSink);
        return message ?? throw PduDecoder.Malformed(_peer, $"an unexpected {control!.GetType().Name} while {step}", 0);
    }

    /// <summary>
    /// As <see cref="Receive(string, Func{byte, DimseCommand, Stream?}?)"/>, for the performer's side of an association:
    /// an A-RELEASE-RQ between two messages is returned as the control PDU (message null) instead of being a protocol error.
    /// </summary>
    public (DimseMessage? Message, IPdu? Control) ReceiveOrControl(string step, Func<byte, DimseCommand, Stream?>? dataSink)
    {
        var command = new MemoryStream();
        var data = new MemoryStream();
        DimseCommand? parsed = null;
        Stream? sink = null;
        byte? context = null;
        while (true)
        {
            var pdu = _pdus.Read(step);
            if (pdu is AbortPdu abort)
            {
                throw DimseAssociationException.Aborted(_peer, abort, step);
            }

            if (pdu is ReleaseRequestPdu && context is null)
            {
                return (null, pdu);
            }

            if (pdu is not DataTransferPdu transfer)
            {
                throw PduDecoder.Malformed(_peer, $"an unexpected {pdu.GetType().Name} while {step}", 0);
            }

            foreach (var pdv in transfer.Values)
            {
                if (context is { } id && id != pdv.PresentationContextId)
                {
                    throw PduDecoder.Malformed(_peer, $"a PDV on presentation context {pdv.PresentationContextId} in the middle of a message on context {id}", 0);
                }

                context = pdv.PresentationContextId;
                if (pdv.IsCommand)
                {
                    if (parsed is not null)
                    {
                        throw PduDecoder.Malformed(_peer, "a command fragment after the command's last fragment", 0);
                    }

                    command.Write(pdv.Data.Span);
                    if (pdv.IsLast)
                    {
                        parsed = DimseCommand.Decode(command.ToArray(), _peer);
                        if (!parsed.HasDataSet)
                        {
                            return (new DimseMessage(pdv.PresentationContextId, parsed, null), null);
                        }

                        sink = dataSink?.Invoke(pdv.PresentationContextId, parsed);
                    }
                }
                else
                {
                    if (parsed is null)
                    {
                        throw PduDecoder.Malformed(_peer, "a data set fragment before the command was complete", 0);
                    }

                    (sink ?? data).Write(pdv.Data.Span);
                    if (pdv.IsLast)
                    {
                        return (new DimseMessage(pdv.PresentationContextId, parsed, sink is null ? data.ToArray() : null), null);
                    }
                }
            }
        }
    }

    private void SendFragments(byte context, ReadOnlyMemory<byte> bytes, bool isCommand, string step)
    {
        var at = 0;
        do
        {
            var size = Math.Min(MaxFragment, bytes.Length - at);
            var last = at + size == bytes.Length;
            _pdus.Write(new DataTransferPdu([new PresentationDataValue(context, isCommand, last, bytes.Slice(at, size))]), step);
            at += size;
        }
        while (at < bytes.Length);
    }
}
