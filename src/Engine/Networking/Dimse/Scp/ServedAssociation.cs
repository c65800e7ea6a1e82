using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>
/// One association our acceptor serves, on its own thread, start to end: the A-ASSOCIATE-RQ awaited under the ARTIM
/// timer and negotiated (<see cref="AssociationNegotiation"/>); then messages until the peer releases: C-ECHO answered,
/// C-STORE streamed to disk (<see cref="DimseStoreService"/>), C-CANCEL ignored (nothing of ours is cancellable), any
/// other request answered "unrecognized operation". A message on a context that was not accepted, a malformed PDU,
/// a PDU of an impossible length or a peer silent past the timeout ends it with an A-ABORT and a logged reason; a peer
/// that aborts or closes mid-transfer leaves no partial file. Nothing that happens here stops the acceptor.
/// </summary>
internal sealed class ServedAssociation
{
    private readonly TcpClient _client;
    private readonly DimseAcceptorOptions _options;
    private readonly DimseStoreTarget _target;
    private readonly IEngineLog? _log;
    private readonly string _peer;
    private readonly List<DimseStoredInstance> _stored = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _callingAe = "";
    private string _calledAe = "";
    private int _failed;

    public ServedAssociation(TcpClient client, DimseAcceptorOptions options, DimseStoreTarget target, IEngineLog? log)
    {
        _client = client;
        _options = options;
        _target = target;
        _log = log;
        _peer = client.Client.RemoteEndPoint?.ToString() ?? "an unknown peer";
    }

    /// <summary>An instance was stored (called on this association's thread).</summary>
    public Action<DimseStoredInstance>? InstanceStored { get; init; }

    /// <summary>Serves the association to its end and says how it ended; never throws.</summary>
    public DimseAssociationSummary Serve(Func<bool> overLimit)
    {
        var timeoutMs = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds);
        _client.NoDelay = true;
        _client.ReceiveTimeout = timeoutMs;
        _client.SendTimeout = timeoutMs;
        var pdus = new PduStream(_client.GetStream(), _peer, _options.Timeout) { MaxIncomingDataLength = DimseLimits.DefaultMaxPduLength };
        IncomingInstance? pending = null;
        try
        {
            var first = pdus.Read("waiting for an A-ASSOCIATE-RQ");
            if (first is not AssociateRequest request)
            {
                return Abort(pdus, 2, $"its first PDU was {first.GetType().Name}, not an A-ASSOCIATE-RQ");
            }

            _callingAe = request.CallingAE;
            _calledAe = request.CalledAE;
            var decision = AssociationNegotiation.Decide(request, _options, overLimit());
            if (decision.Reject is { } reject)
            {
                pdus.Write(reject, "rejecting the association");
                _log.Warning($"Association from {_callingAe} at {_peer} rejected ({reject}): {decision.RejectReason}.");
                return Summary(DimseAssociationEnd.Rejected, $"{reject}: {decision.RejectReason}");
            }

            pdus.Write(decision.Accept!, "accepting the association");
            _log.Verbose($"Association from {_callingAe} at {_peer} to {_calledAe} accepted with {decision.AcceptedContexts.Count} of {request.PresentationContexts.Count} presentation context(s).");
            var channel = new DimseMessageChannel(pdus, $"{_callingAe} at {_peer}", request.UserInformation.MaxPduLength);
            var store = new DimseStoreService(_target, _callingAe, _log);
            while (true)
            {
                pending = null;
                var (message, control) = channel.ReceiveOrControl("waiting for the next DIMSE message", (context, command) =>
                    command.Field == DimseCommandField.CStoreRequest && decision.AcceptedContexts.TryGetValue(context, out var ts)
                        ? pending = store.Begin(command, ts)
                        : null);
                if (control is ReleaseRequestPdu)
                {
                    pdus.Write(new ReleaseResponsePdu(), "answering the release");
                    return Summary(DimseAssociationEnd.Released, null);
                }

                var msg = message!;
                if (!decision.AcceptedContexts.ContainsKey(msg.PresentationContextId))
                {
                    DimseStoreService.Abandon(pending);
                    return Abort(pdus, 6, $"it sent a {msg.Command.Field} on presentation context {msg.PresentationContextId}, which was not accepted");
                }

                var response = Perform(msg, store, pending);
                if (response is not null)
                {
                    channel.Send(new DimseMessage(msg.PresentationContextId, response, null), "sending a response");
                }
            }
        }
        catch (DimseAssociationException e) when (e.Abort is not null)
        {
            DimseStoreService.Abandon(pending);
            _log.Warning($"Association from {Who()} aborted by the peer: {e.Abort}.");
            return Summary(DimseAssociationEnd.AbortedByPeer, e.Abort.ToString());
        }
        catch (MdaiClaraException e) when (e.ErrorId == ErrorIds.DimseProtocolError)
        {
            DimseStoreService.Abandon(pending);
            return Abort(pdus, 0, e.Message);
        }
        catch (MdaiClaraException e) when (e.ErrorId == ErrorIds.DimseTimeout)
        {
            DimseStoreService.Abandon(pending);
            return Abort(pdus, 0, $"it sent nothing for {_options.Timeout.TotalSeconds:0.#} s");
        }
        catch (MdaiClaraException e)
        {
            DimseStoreService.Abandon(pending);
            _log.Warning($"Association from {Who()} lost: {e.Message}");
            return Summary(DimseAssociationEnd.ConnectionLost, e.Message);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            DimseStoreService.Abandon(pending);
            _log.Warning($"Association from {Who()} lost: {e.Message}");
            return Summary(DimseAssociationEnd.ConnectionLost, e.Message);
        }
        finally
        {
            _client.Dispose();
        }
    }

    private DimseCommand? Perform(DimseMessage message, DimseStoreService store, IncomingInstance? pending)
    {
        var command = message.Command;
        switch (command.Field)
        {
            case DimseCommandField.CEchoRequest:
                return DimseResponses.EchoResponse(command);
            case DimseCommandField.CStoreRequest:
                var (response, stored) = pending is null
                    ? (DimseResponses.StoreResponse(command, DimseStoreService.CannotUnderstand, "C-STORE without a data set"), null)
                    : store.Complete(command, pending);
                if (stored is not null)
                {
                    _stored.Add(stored);
                    InstanceStored?.Invoke(stored);
                }
                else
                {
                    _failed++;
                }

                return response;
            case DimseCommandField.CCancelRequest:
                return null;
            case var field when ((ushort)field & 0x8000) == 0:
                _log.Warning($"{Who()} asked for {field}, which this receiver does not perform; answered 0211H unrecognized operation.");
                return new DimseCommand()
                    .SetUInt16(DimseCommandTags.CommandField, (ushort)((ushort)field | 0x8000))
                    .SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, command.MessageId)
                    .SetUInt16(DimseCommandTags.CommandDataSetType, DimseCommandTags.NoDataSet)
                    .SetUInt16(DimseCommandTags.Status, 0x0211);
            default:
                throw PduDecoder.Malformed($"{_callingAe} at {_peer}", $"a {command.Field} response where only requests can come", 0);
        }
    }

    private DimseAssociationSummary Abort(PduStream pdus, byte reason, string why)
    {
        try
        {
            pdus.Write(new AbortPdu(AbortPdu.ServiceProvider, reason), "aborting");
        }
        catch (MdaiClaraException)
        {
            // The peer is gone already.
        }

        _log.Warning($"Association from {Who()} aborted by this receiver: {why}");
        return Summary(DimseAssociationEnd.Aborted, why);
    }

    private string Who() => _callingAe.Length > 0 ? $"{_callingAe} at {_peer}" : _peer;

    private DimseAssociationSummary Summary(DimseAssociationEnd end, string? reason) =>
        new(_peer, _callingAe, _calledAe, end, reason, _stored, _failed, _started, _clock.Elapsed);
}
