using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Networking.Dimse.Query;

/// <summary>
/// Study Root C-FIND SCU: one association, one C-FIND-RQ, each pending response's identifier yielded as it arrives
/// (read with our DICOM reader) until the final response. A cancellation (at once, even while waiting for a response),
/// a reached limit or a consumer that stops enumerating early sends C-CANCEL and drains to the final response within
/// <see cref="DimseCancel.DefaultDrain"/>, then releases (a peer that does not finish in that time gets A-ABORT); a
/// failure status is <see cref="Errors.ErrorIds.DimseStatusFailure"/> naming the code.
/// </summary>
public static class DimseFind
{
    /// <summary>The matches as they arrive; the association lives while the sequence is enumerated and ends when it is disposed.</summary>
    public static IEnumerable<DicomDataset> Stream(DimseEndpoint endpoint, DimseIdentifier identifier, int? limit, CancellationToken cancellationToken)
    {
        using var session = DimseFindSession.Open(endpoint, identifier, limit, cancellationToken);
        while (session.Next() is { } found)
        {
            yield return found;
        }

        session.Finish();
    }

    /// <summary>All matches at once (the peer's final response received before returning).</summary>
    public static IReadOnlyList<DicomDataset> Run(DimseEndpoint endpoint, DimseIdentifier identifier, int? limit, CancellationToken cancellationToken) =>
        Stream(endpoint, identifier, limit, cancellationToken).ToList();
}
