namespace MdaiClara.Engine.Errors;

/// <summary>PACS exchange (Networking): connections, queries, retrieval and storage over DICOMweb.</summary>
public static partial class ErrorIds
{
    /// <summary>A connection cannot be made as described (a base URI that is not absolute http(s), credentials in the URI).</summary>
    public const string DicomConnectionInvalid = "DicomConnectionInvalid";

    /// <summary>No connection of that name is registered in this session.</summary>
    public const string DicomConnectionNotFound = "DicomConnectionNotFound";

    /// <summary>A query value the protocol cannot carry (a malformed date range, a negative limit).</summary>
    public const string DicomQueryInvalid = "DicomQueryInvalid";

    /// <summary>The server refused the credentials (HTTP 401).</summary>
    public const string DicomWebUnauthorized = "DicomWebUnauthorized";

    /// <summary>The credentials were accepted but lack the right (HTTP 403).</summary>
    public const string DicomWebForbidden = "DicomWebForbidden";

    /// <summary>The server could not be reached (refused, reset, name not resolved, TLS failure), retries included.</summary>
    public const string DicomWebUnreachable = "DicomWebUnreachable";

    /// <summary>The server did not answer, or stopped sending, within the timeout.</summary>
    public const string DicomWebTimeout = "DicomWebTimeout";

    /// <summary>The study or series asked for is not on the server (HTTP 404, or an empty retrieval).</summary>
    public const string DicomWebNotFound = "DicomWebNotFound";

    /// <summary>Any other HTTP failure status, retries included (the status and the server's reason are named).</summary>
    public const string DicomWebHttpError = "DicomWebHttpError";

    /// <summary>The server's answer is not what the standard prescribes (malformed multipart or DICOM JSON, wrong media type).</summary>
    public const string DicomWebResponseInvalid = "DicomWebResponseInvalid";

    /// <summary>A retrieval ended before its last instance (connection lost mid-transfer); instances already written are kept.</summary>
    public const string DicomWebTransferInterrupted = "DicomWebTransferInterrupted";

    /// <summary>The server stored an instance with a warning or refused it (STOW-RS Failed SOP Sequence), per instance.</summary>
    public const string DicomWebStoreFailed = "DicomWebStoreFailed";

    /// <summary>A received instance could not be written to the target folder.</summary>
    public const string DicomReceiveWriteFailed = "DicomReceiveWriteFailed";

    /// <summary>A file given to store is not a DICOM instance we can send (unreadable, no SOP Instance UID).</summary>
    public const string DicomStoreInputInvalid = "DicomStoreInputInvalid";
}
