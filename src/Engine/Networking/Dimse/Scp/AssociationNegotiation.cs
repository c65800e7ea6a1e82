using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>The acceptor's answer to an A-ASSOCIATE-RQ: an A-ASSOCIATE-AC with the transfer syntax of each accepted context, or an A-ASSOCIATE-RJ and why.</summary>
public sealed record AssociationDecision(AssociateAccept? Accept, AssociateReject? Reject, string? RejectReason, IReadOnlyDictionary<byte, string> AcceptedContexts);

/// <summary>
/// A-ASSOCIATE-RQ negotiation for our storage SCP (PS3.8 7.1, PS3.7 D.3.3): the application context must be DICOM's;
/// the called AE must be ours (else rejected-permanent, service-user, "called AE title not recognized"); the calling AE
/// must be an allowed one when a list is set ("calling AE title not recognized"); an association beyond the bound is
/// rejected-transient, service-provider (presentation), "local limit exceeded". Each presentation context is accepted
/// when its abstract syntax is Verification or a storage SOP class, in the first transfer syntax the requestor proposed
/// that we know (Implicit or Explicit VR Little Endian for Verification); role selections are answered for accepted
/// contexts with the SCU role the requestor asked for and never the SCP role (we perform storage; we do not send).
/// Our maximum PDU length and implementation identity go into the user information.
/// </summary>
public static class AssociationNegotiation
{
    public static AssociationDecision Decide(AssociateRequest request, DimseAcceptorOptions options, bool overLimit)
    {
        if (request.ApplicationContext != AssociateRequest.DicomApplicationContext)
        {
            return Reject(1, 1, 2, $"the application context '{request.ApplicationContext}' is not DICOM's ({AssociateRequest.DicomApplicationContext})");
        }

        if (!string.Equals(request.CalledAE, options.AeTitle, System.StringComparison.Ordinal))
        {
            return Reject(1, 1, 7, $"it called AE title '{request.CalledAE}', but this receiver is '{options.AeTitle}'");
        }

        if (options.CallingAETitles is { } allowed && !allowed.Contains(request.CallingAE))
        {
            return Reject(1, 1, 3, $"its calling AE title '{request.CallingAE}' is not one this receiver accepts ({string.Join(", ", allowed)})");
        }

        if (overLimit)
        {
            return Reject(2, 3, 2, $"{options.MaxAssociations} associations are in progress already, the most this receiver serves at once");
        }

        var results = new List<PresentationContextResult>();
        var accepted = new Dictionary<byte, string>();
        foreach (var pc in request.PresentationContexts)
        {
            var outcome = Choose(pc, out var transferSyntax);
            results.Add(new PresentationContextResult(pc.Id, outcome, transferSyntax));
            if (outcome == PresentationContextOutcome.Acceptance)
            {
                accepted[pc.Id] = transferSyntax;
            }
        }

        var acceptedClasses = request.PresentationContexts.Where(pc => accepted.ContainsKey(pc.Id)).Select(pc => pc.AbstractSyntax).ToHashSet();
        var roles = request.UserInformation.RoleSelections
            .Where(r => acceptedClasses.Contains(r.SopClassUid))
            .Select(r => new RoleSelection(r.SopClassUid, r.ScuRole, ScpRole: false))
            .ToList();
        var user = new UserInformation(DimseLimits.DefaultMaxPduLength, DicomImplementation.ClassUid, DicomImplementation.VersionName, roles);
        var accept = new AssociateAccept(request.CalledAE, request.CallingAE, AssociateRequest.DicomApplicationContext, results, user);
        return new AssociationDecision(accept, null, null, accepted);
    }

    private static PresentationContextOutcome Choose(PresentationContext pc, out string transferSyntax)
    {
        transferSyntax = pc.TransferSyntaxes.FirstOrDefault() ?? TransferSyntax.ImplicitVRLittleEndian.Uid;
        bool Usable(string uid) => pc.AbstractSyntax == DimseCommands.VerificationSopClass
            ? uid == TransferSyntax.ImplicitVRLittleEndian.Uid || uid == TransferSyntax.ExplicitVRLittleEndian.Uid
            : TransferSyntax.FromUid(uid).IsKnown;
        if (pc.AbstractSyntax != DimseCommands.VerificationSopClass && !StorageSopClasses.IsStorage(pc.AbstractSyntax))
        {
            return PresentationContextOutcome.AbstractSyntaxNotSupported;
        }

        if (pc.TransferSyntaxes.FirstOrDefault(Usable) is not { } chosen)
        {
            return PresentationContextOutcome.TransferSyntaxesNotSupported;
        }

        transferSyntax = chosen;
        return PresentationContextOutcome.Acceptance;
    }

    private static AssociationDecision Reject(byte result, byte source, byte reason, string why) =>
        new(null, new AssociateReject(result, source, reason), why, new Dictionary<byte, string>());
}
