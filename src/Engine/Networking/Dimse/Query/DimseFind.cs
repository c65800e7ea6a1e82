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
/// reader until the final response. A cancellation (at once, even while waiting for a response) or a reached limit
/// sends C-CANCEL and drains to the final response within <see cref="DimseCancel.DefaultDrain"/>, then releases (a peer
/// that does not finish in that time gets A-ABORT); a failure status is <see cref="ErrorIds.DimseStatusFailure"/> naming the code.
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
        ushort status;
        DimseCommand command;
        using (var cancel = new DimseCancel(association, context.Id, id, DimseCancel.DefaultDrain(endpoint), cancellationToken))
        {
            try
            {
                while (true)
                {
                    var response = association.Receive("waiting for C-FIND responses");
                    command = response.Command;
                    if (command.Field != DimseCommandField.CFindResponse || command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo) != id)
                    {
                        throw association.ProtocolError($"a {command.Field} that does not answer C-FIND-RQ {id}");
                    }

                    status = command.Status;
                    if (!DimseStatus.IsPending(status))
                    {
                        break;
                    }

                    if (!cancel.IsSent && response.DataSet is { } data)
                    {
                        results.Add(DicomFileReader.ReadBytes(data.ToArray(), $"C-FIND response {results.Count + 1} from {peer}").Dataset);
                        if (limit is { } max && results.Count >= max)
                        {
                            cancel.Send();
                        }
                    }
                }
            }
            catch (MdaiClaraException) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelled, and the peer did not finish within the drain time (or the read timed out, or it broke off): abort, do not release.
                association.Abort();
                throw new OperationCanceledException(cancellationToken);
            }
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
