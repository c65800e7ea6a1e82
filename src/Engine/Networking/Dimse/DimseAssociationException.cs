using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>An association refused (A-ASSOCIATE-RJ) or aborted (A-ABORT) by the peer; the PDU is kept for callers that report it.</summary>
public sealed class DimseAssociationException : MdaiClaraException
{
    private DimseAssociationException(string message, string errorId, string peer, AssociateReject? reject, AbortPdu? abort)
        : base(message, errorId, ErrorKind.SecurityError, peer)
    {
        Reject = reject;
        Abort = abort;
    }

    public AssociateReject? Reject { get; }

    public AbortPdu? Abort { get; }

    public static DimseAssociationException Rejected(string peer, string calledAE, string callingAE, AssociateReject reject) => new(
        $"The DICOM peer {peer} rejected the association from {callingAE} to {calledAE}: {reject}. "
        + (reject.Source, reject.Reason) switch
        {
            (1, 7) => "Use the AE title the peer is configured with as the called AE.",
            (1, 3) => "Register our calling AE title (with our host and port) in the peer's list of known modalities.",
            _ => "Check the peer's log for why.",
        },
        ErrorIds.DimseAssociationRejected, peer, reject, null);

    public static DimseAssociationException Aborted(string peer, AbortPdu abort, string step) => new(
        $"The DICOM peer {peer} aborted the association while {step}: {abort}. Check the peer's log for why.",
        ErrorIds.DimseAssociationAborted, peer, null, abort);
}
