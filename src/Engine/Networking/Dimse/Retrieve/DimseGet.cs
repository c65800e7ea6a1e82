using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Retrieve;

/// <summary>
/// Series retrieval over C-GET (PS3.4 C.4.3): one association proposing Study Root GET and a storage context for each
/// common storage SOP class (<see cref="StorageSopClasses.Common"/>, Explicit then Implicit VR Little Endian) with the
/// SCP role asked for; the peer's C-STOREs on that association are streamed atomically into the folder and answered;
/// the pending C-GET responses give the progress total. A cancellation sends C-CANCEL once and drains to the final
/// response, so the association ends cleanly and the instances already received are kept.
/// </summary>
public static class DimseGet
{
    private static readonly string[] Uncompressed = [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>The proposed contexts: GET on id 1, then storage contexts on ids 3, 5, 7…</summary>
    public static IReadOnlyList<PresentationContext> Contexts { get; } =
    [
        new(1, RetrieveKeys.StudyRootGet, Uncompressed),
        .. StorageSopClasses.Common.Select((c, i) => new PresentationContext((byte)(3 + 2 * i), c.Uid, Uncompressed)),
    ];

    /// <summary>SCP role for every storage class: the peer's C-STOREs come to us on our own association.</summary>
    public static IReadOnlyList<RoleSelection> Roles { get; } = StorageSopClasses.Common.Select(c => new RoleSelection(c.Uid, ScuRole: false, ScpRole: true)).ToList();

    public static DicomSeriesReceipt Run(DimseEndpoint endpoint, string connection, string studyUid, string seriesUid, string folder,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken, int? expectedInstances)
    {
        var clock = Stopwatch.StartNew();
        var peer = endpoint.ToString();
        var target = DimseStoreTarget.SingleFolder(folder);
        var tally = new SeriesRetrievalTally(peer, "C-GET", studyUid, seriesUid, target, expectedInstances, progress, log);
        using var association = DimseAssociation.Open(endpoint, Contexts, Roles, cancellationToken);
        var getContext = association.AcceptedContext(Contexts, RetrieveKeys.StudyRootGet)
            ?? throw new MdaiClaraException($"The DICOM peer {peer} accepted the association but not Study Root Query/Retrieve - GET; retrieve from it over C-MOVE (a move destination) instead.",
                ErrorIds.DimseNoPresentationContext, ErrorKind.InvalidOperation, peer);
        var storage = association.Accept.PresentationContexts.Where(r => r.IsAccepted && r.Id != getContext.Id).ToDictionary(r => r.Id, r => r.TransferSyntax);
        if (storage.Count == 0)
        {
            throw new MdaiClaraException($"The DICOM peer {peer} accepted C-GET but none of the storage contexts it would send the instances on; retrieve from it over C-MOVE instead.",
                ErrorIds.DimseNoPresentationContext, ErrorKind.InvalidOperation, peer);
        }

        var store = new DimseStoreService(target, endpoint.CalledAE, log);
        var id = association.NextMessageId();
        var identifier = RetrieveKeys.Series(studyUid, seriesUid).Encode(getContext.TransferSyntax == TransferSyntax.ExplicitVRLittleEndian.Uid);
        IncomingInstance? pending = null;
        try
        {
            association.Channel.Send(new DimseMessage(getContext.Id, RetrieveCommands.GetRequest(id), identifier), "sending the C-GET request");
            var cancelled = false;
            while (true)
            {
                pending = null;
                var message = association.Channel.Receive("waiting for C-GET responses and C-STORE requests", (context, command) =>
                    command.Field == DimseCommandField.CStoreRequest && storage.TryGetValue(context, out var ts) ? pending = store.Begin(command, ts) : null);
                var command = message.Command;
                if (command.Field == DimseCommandField.CStoreRequest)
                {
                    var (response, stored) = pending is null
                        ? (DimseResponses.StoreResponse(command, 0x0122, "SOP class not accepted on this context"), null)
                        : store.Complete(command, pending);
                    pending = null;
                    if (stored is not null)
                    {
                        tally.Add(stored);
                    }
                    else
                    {
                        tally.Failed(command.GetString(DimseCommandTags.AffectedSopInstanceUid) ?? "?", DimseStatus.Describe(response.Status));
                    }

                    association.Channel.Send(new DimseMessage(message.PresentationContextId, response, null), "answering a C-STORE");
                }
                else if (command.Field == DimseCommandField.CGetResponse && command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo) == id)
                {
                    if (!DimseStatus.IsPending(command.Status))
                    {
                        association.Release();
                        cancellationToken.ThrowIfCancellationRequested();
                        return tally.Finish(command, message.DataSet, clock.Elapsed, connection);
                    }

                    tally.Pending(RetrieveCounts.From(command));
                }
                else
                {
                    throw PduDecoder.Malformed(peer, $"a {command.Field} in the middle of C-GET {id}", 0);
                }

                if (!cancelled && cancellationToken.IsCancellationRequested)
                {
                    association.Channel.Send(new DimseMessage(getContext.Id, DimseCommands.CancelRequest(id), null), "cancelling the C-GET");
                    cancelled = true;
                    log.Verbose($"C-GET of series {seriesUid} from {peer}: C-CANCEL sent after {tally.Stored} instance(s).");
                }
            }
        }
        catch (MdaiClaraException e) when (e.ErrorId is ErrorIds.DimseProtocolError or ErrorIds.DimseTimeout)
        {
            DimseStoreService.Abandon(pending);
            association.Abort();
            throw;
        }
        catch
        {
            DimseStoreService.Abandon(pending);
            throw;
        }
    }
}
