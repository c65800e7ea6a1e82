using System;
using System.Diagnostics;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// Verification SOP class SCU (PS3.4 A.4): an association proposing only Verification in Implicit and Explicit VR
/// Little Endian, one C-ECHO, release. A rejection, abort, timeout or unreachable peer is reported in the result (not
/// thrown), since saying so is the purpose of the check; malformed answers are reported the same way.
/// </summary>
public static class DimseVerification
{
    private static readonly PresentationContext[] Contexts =
    [
        new(1, DimseCommands.VerificationSopClass, [TransferSyntax.ImplicitVRLittleEndian.Uid, TransferSyntax.ExplicitVRLittleEndian.Uid]),
    ];

    public static DimseEchoResult Echo(DimseEndpoint endpoint, CancellationToken cancellationToken)
    {
        AssociateAccept? accept = null;
        try
        {
            using var association = DimseAssociation.Open(endpoint, Contexts, null, cancellationToken);
            accept = association.Accept;
            var context = association.AcceptedContext(Contexts, DimseCommands.VerificationSopClass)
                ?? throw new MdaiClaraException($"The DICOM peer {endpoint} accepted the association but not the Verification SOP class; it does not answer C-ECHO.",
                    ErrorIds.DimseNoPresentationContext, ErrorKind.InvalidOperation, endpoint.ToString());
            var id = association.NextMessageId();
            var clock = Stopwatch.StartNew();
            var response = association.Exchange(new DimseMessage(context.Id, DimseCommands.EchoRequest(id), null), "waiting for the C-ECHO response");
            clock.Stop();
            if (response.Command.Field != DimseCommandField.CEchoResponse || response.Command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo) != id)
            {
                throw PduDecoder.Malformed(endpoint.ToString(), $"a {response.Command.Field} that does not answer C-ECHO-RQ {id}", 0);
            }

            association.Release();
            var status = response.Command.Status;
            return Result(endpoint, accept, status == 0, "accepted", status, clock.Elapsed, null,
                status == 0 ? null : $"C-ECHO answered with status {DimseStatus.Describe(status)}.");
        }
        catch (MdaiClaraException e) when (e.ErrorId != ErrorIds.DimseConnectionInvalid)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var association = e switch
            {
                DimseAssociationException { Reject: { } rj } => "rejected: " + rj,
                DimseAssociationException { Abort: { } ab } => ab.ToString(),
                _ when accept is not null => "accepted, then failed",
                _ => "not established",
            };
            return Result(endpoint, accept, false, association, null, null, e.ErrorId, e.Message);
        }
    }

    private static DimseEchoResult Result(DimseEndpoint endpoint, AssociateAccept? accept, bool success, string association,
        ushort? status, TimeSpan? roundTrip, string? errorId, string? message) => new(
        success, endpoint.ToString(), association, accept?.PresentationContexts ?? [], accept?.UserInformation.ImplementationClassUid,
        accept?.UserInformation.ImplementationVersionName, accept?.UserInformation.MaxPduLength ?? 0, status, roundTrip, errorId, message);
}
