using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Query;
using MdaiClara.Engine.Networking.Dimse.Retrieve;
using MdaiClara.Engine.Networking.Dimse.Store;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// A PACS reached over DIMSE: host, port, the peer's AE title and ours, the timeout of every connect and read. Each
/// operation opens its own association and releases it. Verification (C-ECHO) and Study Root C-FIND (study and series
/// levels), series retrieval over C-GET (or C-MOVE to a listener of ours) and C-STORE all work. There is no secret to
/// hide: AE titles are not credentials.
/// </summary>
public sealed class DimseConnection : IDicomConnection
{
    public DimseConnection(string name, DimseEndpoint options)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new MdaiClaraException("A DIMSE connection needs a name.", ErrorIds.DimseConnectionInvalid, ErrorKind.InvalidArgument);
        }

        Name = name;
        Options = options;
    }

    public string Name { get; }

    public DicomTransport Transport => DicomTransport.Dimse;

    public DimseEndpoint Options { get; }

    /// <summary>host:port and the AE titles: "ORTHANC@pacs:104 as MDAICLARA".</summary>
    public string Endpoint => $"{Options} as {Options.CallingAE}";

    /// <summary>Our AE title, and the TLS settings when the connection uses DICOM TLS (never a password).</summary>
    public string Authentication => "AE title " + Options.CallingAE + (Options.Tls is { } tls ? $" over {tls}" : "");

    /// <summary>C-ECHO: the association result, the accepted contexts and the round-trip time.</summary>
    public DimseEchoResult Echo(CancellationToken cancellationToken) => DimseVerification.Echo(Options, cancellationToken);

    /// <summary>Study Root C-FIND at STUDY level, each match yielded as its pending response arrives; the query's offset and limit are applied here (C-FIND has no paging): a reached limit, or stopping the enumeration early, sends C-CANCEL.</summary>
    public IEnumerable<DicomStudy> FindStudies(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken) =>
        Page(DimseFind.Stream(Options, FindMapping.StudyIdentifier(query), Reach(query), cancellationToken), query)
            .Select(d => FindMapping.Study(this, d));

    /// <summary>Study Root C-FIND at SERIES level (within <see cref="DicomQuery.StudyInstanceUid"/> when given).</summary>
    public IEnumerable<DicomSeries> FindSeries(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken) =>
        Page(DimseFind.Stream(Options, FindMapping.SeriesIdentifier(query), Reach(query), cancellationToken), query)
            .Select(d => FindMapping.Series(this, d));

    /// <summary>Study Root C-GET of one series: the peer's C-STOREs come back on the same association and are written atomically into the folder.</summary>
    public DicomSeriesReceipt ReceiveSeries(string studyInstanceUid, string seriesInstanceUid, string folder,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken, int? expectedInstances = null) =>
        DimseGet.Run(Options, Name, studyInstanceUid, seriesInstanceUid, folder, progress, log, cancellationToken, expectedInstances);

    /// <summary>Study Root C-MOVE of one series to <paramref name="move"/>'s destination AE, received by a listener of ours on its port for the duration of the call.</summary>
    public DicomSeriesReceipt ReceiveSeries(string studyInstanceUid, string seriesInstanceUid, string folder, DimseMoveOptions move,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken, int? expectedInstances = null) =>
        DimseMove.Run(Options, Name, move, studyInstanceUid, seriesInstanceUid, folder, progress, log, cancellationToken, expectedInstances);

    public IReadOnlyList<DicomStoreResult> Store(IReadOnlyList<string> files, IProgress<DicomInstanceProgress>? progress,
        IEngineLog? log, CancellationToken cancellationToken) =>
        DimseStore.Run(Options, Name, files, progress, log, cancellationToken);

    public void Dispose()
    {
        // Every operation opens and releases its own association; nothing stays open between them.
    }

    public override string ToString() => $"{Name} ({Endpoint})";

    private static int? Reach(DicomQuery query) => query.Limit is { } limit ? limit + (query.Offset ?? 0) : null;

    private static IEnumerable<Imaging.Dicom.DicomDataset> Page(IEnumerable<Imaging.Dicom.DicomDataset> found, DicomQuery query) =>
        found.Skip(query.Offset ?? 0).Take(query.Limit ?? int.MaxValue);
}
