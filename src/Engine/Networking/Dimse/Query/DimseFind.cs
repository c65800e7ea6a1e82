using System;
using System.Collections.Generic;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse.Query;

/// <summary>
/// Study Root C-FIND SCU: one association, one C-FIND-RQ, the pending responses' identifiers read with our DICOM
/// reader until the final response. A cancellation or a reached limit sends C-CANCEL and drains to the final response
/// (so the association ends cleanly); a failure status is <see cref="ErrorIds.DimseStatusFailure"/> naming the code.
/// </summary>
public static class DimseFind
{
    private static readonly PresentationContext[] Contexts =
    [
        new(1, FindKeys.StudyRootFind, [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid]),
    ];

    public static IReadOnlyList<DicomDataset> Run(DimseEndpoint endpoint, DimseIdentifier identifier, int? limit, CancellationToken cancellationToken)
    {
        var peer = endpoint.ToString();
        using var association = DimseAssociation.Open(endpoint, Contexts, null, cancellationToken);
        var context = association.AcceptedContext(Contexts, FindKeys.StudyRootFind)
            ?? throw new MdaiClaraException($"The DICOM peer {peer} accepted the association but not Study Root Query/Retrieve - FIND; it cannot be searched over DIMSE.",
                ErrorIds.DimseNoPresentationContext, ErrorKind.InvalidOperation, peer);
        var explicitVr = context.TransferSyntax == TransferSyntax.ExplicitVRLittleEndian.Uid;
        var id = association.NextMessageId();
        association.Channel.Send(new DimseMessage(context.Id, DimseCommands.FindRequest(id, FindKeys.StudyRootFind), identifier.Encode(explicitVr)), "sending the C-FIND request");
        var results = new List<DicomDataset>();
        var cancelled = false;
        while (true)
        {
            var response = association.Channel.Receive("waiting for C-FIND responses");
            var command = response.Command;
            if (command.Field != DimseCommandField.CFindResponse || command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo) != id)
            {
                throw PduDecoder.Malformed(peer, $"a {command.Field} that does not answer C-FIND-RQ {id}", 0);
            }

            var status = command.Status;
            if (DimseStatus.IsPending(status))
            {
                if (!cancelled && response.DataSet is { } data)
                {
                    results.Add(DicomFileReader.ReadBytes(data.ToArray(), $"C-FIND response {results.Count + 1} from {peer}").Dataset);
                }

                if (!cancelled && (cancellationToken.IsCancellationRequested || (limit is { } max && results.Count >= max)))
                {
                    association.Channel.Send(new DimseMessage(context.Id, DimseCommands.CancelRequest(id), null), "cancelling the C-FIND");
                    cancelled = true;
                }

                continue;
            }

            association.Release();
            if (status is DimseStatus.Success or DimseStatus.Cancel || DimseStatus.IsWarning(status))
            {
                cancellationToken.ThrowIfCancellationRequested();
                return results;
            }

            throw new MdaiClaraException($"The DICOM peer {peer} refused the search: C-FIND status {DimseStatus.Describe(status)}"
                + (command.GetString(DimseCommandTags.ErrorComment) is { Length: > 0 } comment ? $" ({comment})." : "."),
                ErrorIds.DimseStatusFailure, ErrorKind.InvalidOperation, peer);
        }
    }
}
