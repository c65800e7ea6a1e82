namespace MdaiClara.Engine.Errors;

/// <summary>DIMSE as the performer (storage SCP) and the retrievals that use it (C-GET, C-MOVE).</summary>
public static partial class ErrorIds
{
    /// <summary>Our listener could not bind its port (in use, not permitted) or its options are invalid.</summary>
    public const string DimseListenFailed = "DimseListenFailed";

    /// <summary>A C-GET or C-MOVE ended with instances missing: the peer's failure status or sub-operations that failed.</summary>
    public const string DimseRetrieveFailed = "DimseRetrieveFailed";

    /// <summary>No DICOM receiver of that name runs in this session.</summary>
    public const string DimseReceiverNotFound = "DimseReceiverNotFound";

    /// <summary>A series retrieval found nothing to retrieve (the peer completed with zero sub-operations).</summary>
    public const string DimseSeriesNotFound = "DimseSeriesNotFound";
}
