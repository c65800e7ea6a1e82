using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Networking.Dimse.Scp;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Retrieve;

/// <summary>
/// Series retrieval over C-MOVE (PS3.4 C.4.2) to our own storage SCP: a short-lived <see cref="DimseAcceptor"/> on the
/// listening port accepts only associations that call the move destination AE title and streams their C-STOREs
/// atomically into the folder; then one association carries the C-MOVE-RQ, its pending responses give the progress
/// total, and the final response ends the retrieval once the peer's storage association has ended (within the
/// timeout). A cancellation sends C-CANCEL once and drains to the final response; the listener always closes.
/// </summary>
public static class DimseMove
{
    private static readonly PresentationContext[] Contexts =
    [
        new(1, RetrieveKeys.StudyRootMove, [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid]),
    ];

    public static DicomSeriesReceipt Run(DimseEndpoint endpoint, string connection, DimseMoveOptions move, string studyUid, string seriesUid, string folder,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken, int? expectedInstances)
    {
        var clock = Stopwatch.StartNew();
        var peer = endpoint.ToString();
        var target = DimseStoreTarget.SingleFolder(folder);
        var tally = new SeriesRetrievalTally(peer, "C-MOVE", studyUid, seriesUid, target, expectedInstances, progress, log);
        var listen = new DimseAcceptorOptions(move.Destination, move.ListenPort) { BindAddress = move.BindAddress, Timeout = endpoint.Timeout, MaxAssociations = 4 };
        using var acceptor = DimseAcceptor.Start(listen, target, log);
        acceptor.InstanceStored += tally.Add;
        var lost = new List<string>();
        acceptor.AssociationEnded += summary =>
        {
            if (summary.End is not (DimseAssociationEnd.Released or DimseAssociationEnd.Rejected))
            {
                lock (lost)
                {
                    lost.Add($"{summary.CallingAE} at {summary.Peer}: {summary.End} ({summary.Reason})");
                }
            }

            if (summary.Failed > 0)
            {
                tally.Failed($"{summary.Failed} instance(s) from {summary.CallingAE}", "could not be stored here; see the warnings");
            }
        };

        try
        {
            using var association = DimseAssociation.Open(endpoint, Contexts, null, cancellationToken);
            var moveContext = association.AcceptedContext(Contexts, RetrieveKeys.StudyRootMove)
                ?? throw new MdaiClaraException($"The DICOM peer {peer} accepted the association but not Study Root Query/Retrieve - MOVE; retrieve from it over C-GET instead.",
                    ErrorIds.DimseNoPresentationContext, ErrorKind.InvalidOperation, peer);
            var id = association.NextMessageId();
            var identifier = RetrieveKeys.Series(studyUid, seriesUid).Encode(moveContext.TransferSyntax == TransferSyntax.ExplicitVRLittleEndian.Uid);
            try
            {
                association.Channel.Send(new DimseMessage(moveContext.Id, RetrieveCommands.MoveRequest(id, move.Destination), identifier), "sending the C-MOVE request");
                var cancelled = false;
                while (true)
                {
                    var message = association.Channel.Receive("waiting for C-MOVE responses");
                    var command = message.Command;
                    if (command.Field != DimseCommandField.CMoveResponse || command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo) != id)
                    {
                        throw PduDecoder.Malformed(peer, $"a {command.Field} in the middle of C-MOVE {id}", 0);
                    }

                    if (!DimseStatus.IsPending(command.Status))
                    {
                        association.Release();
                        // The final response may overtake the release of the storage association that carried the last instances.
                        if (!acceptor.WaitIdle(endpoint.Timeout, cancellationToken))
                        {
                            log.Warning($"C-MOVE of series {seriesUid}: the storage association from {peer} did not end within {endpoint.Timeout.TotalSeconds:0.#} s of the final response.");
                        }

                        cancellationToken.ThrowIfCancellationRequested();
                        acceptor.Stop(TimeSpan.Zero);
                        lock (lost)
                        {
                            foreach (var reason in lost)
                            {
                                log.Warning($"C-MOVE of series {seriesUid}: a storage association ended abnormally: {reason}.");
                            }
                        }

                        return tally.Finish(command, message.DataSet, clock.Elapsed, connection, move.Destination);
                    }

                    tally.Pending(RetrieveCounts.From(command));
                    if (!cancelled && cancellationToken.IsCancellationRequested)
                    {
                        association.Channel.Send(new DimseMessage(moveContext.Id, DimseCommands.CancelRequest(id), null), "cancelling the C-MOVE");
                        cancelled = true;
                        log.Verbose($"C-MOVE of series {seriesUid} from {peer}: C-CANCEL sent after {tally.Stored} instance(s).");
                    }
                }
            }
            catch (MdaiClaraException e) when (e.ErrorId is ErrorIds.DimseProtocolError or ErrorIds.DimseTimeout)
            {
                association.Abort();
                throw;
            }
        }
        finally
        {
            acceptor.Stop(TimeSpan.FromSeconds(1));
        }
    }
}
