namespace MdaiClara.Engine.Errors;

/// <summary>PACS exchange over DIMSE (PS3.7 messages on the PS3.8 upper layer).</summary>
public static partial class ErrorIds
{
    /// <summary>The peer's TCP port could not be reached (refused, name not resolved, network down).</summary>
    public const string DimseUnreachable = "DimseUnreachable";

    /// <summary>The peer did not answer within the timeout (ARTIM on association, or a read during the exchange).</summary>
    public const string DimseTimeout = "DimseTimeout";

    /// <summary>The peer closed the connection in the middle of an association or a PDU.</summary>
    public const string DimsePeerClosed = "DimsePeerClosed";

    /// <summary>The peer sent bytes that are not a valid PDU or DIMSE message (impossible length, unknown type, bad item).</summary>
    public const string DimseProtocolError = "DimseProtocolError";

    /// <summary>The peer rejected the association (A-ASSOCIATE-RJ); the result, source and reason are named.</summary>
    public const string DimseAssociationRejected = "DimseAssociationRejected";

    /// <summary>The peer aborted the association (A-ABORT); the source and reason are named.</summary>
    public const string DimseAssociationAborted = "DimseAssociationAborted";

    /// <summary>The peer accepted the association but none of the presentation contexts the operation needs.</summary>
    public const string DimseNoPresentationContext = "DimseNoPresentationContext";

    /// <summary>A DIMSE response carried a failure status (the status code and its meaning are named).</summary>
    public const string DimseStatusFailure = "DimseStatusFailure";

    /// <summary>A DIMSE connection cannot be made as described (AE title too long or with forbidden characters, port out of range).</summary>
    public const string DimseConnectionInvalid = "DimseConnectionInvalid";

    /// <summary>An operation this build does not yet carry over DIMSE (C-FIND, C-GET/C-MOVE, C-STORE are being added); the message says which.</summary>
    public const string DimseOperationNotAvailable = "DimseOperationNotAvailable";

    /// <summary>The peer refused an instance sent with C-STORE (a failure status, or no presentation context for its SOP class and transfer syntax), per instance.</summary>
    public const string DimseStoreFailed = "DimseStoreFailed";

    /// <summary>A DICOM TLS connection could not be set up: the server's certificate is not trusted or not made out to the host, the peer wanted a client certificate, or a certificate file cannot be read.</summary>
    public const string DimseTlsFailed = "DimseTlsFailed";
}
