using System;
using System.Collections.Generic;
using System.Threading;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Networking;

/// <summary>
/// A PACS the admin defined once, whatever the transport: find studies and series, retrieve a series into a folder,
/// store instances. DICOMweb implements it now (<see cref="DicomWeb.DicomWebConnection"/>); DIMSE implements the same
/// contract so the Find/Receive/Send commands work over either. Implementations never put a secret into
/// <see cref="object.ToString"/>, a log line or an exception message.
/// </summary>
public interface IDicomConnection : IDisposable
{
    /// <summary>The name the admin uses for it (unique in a session).</summary>
    string Name { get; }

    DicomTransport Transport { get; }

    /// <summary>Where it points, without credentials (a base URI, or host:port and AE titles).</summary>
    string Endpoint { get; }

    /// <summary>
    /// Studies matching the query, in the server's order, yielded as they arrive (DIMSE: one per pending C-FIND
    /// response). Enumerate it on one thread; disposing the enumerator early ends the search (DIMSE: C-CANCEL, release).
    /// </summary>
    IEnumerable<DicomStudy> FindStudies(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken);

    /// <summary>Series matching the query (across studies, or in <see cref="DicomQuery.StudyInstanceUid"/>), yielded as they arrive like <see cref="FindStudies"/>.</summary>
    IEnumerable<DicomSeries> FindSeries(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken);

    /// <summary>
    /// Retrieves one series into <paramref name="folder"/>, one &lt;SOPInstanceUID&gt;.dcm per instance, each written
    /// atomically; instances already there (same SOP Instance UID in the file header) are kept and not fetched again.
    /// Cancellation stops between instances and leaves no partial file. <paramref name="expectedInstances"/> (from a
    /// search result) lets progress show a total before the server says how many there are.
    /// </summary>
    DicomSeriesReceipt ReceiveSeries(string studyInstanceUid, string seriesInstanceUid, string folder,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken, int? expectedInstances = null);

    /// <summary>Stores instances, one result per file (stored, or the server's failure reason).</summary>
    IReadOnlyList<DicomStoreResult> Store(IReadOnlyList<string> files, IProgress<DicomInstanceProgress>? progress,
        IEngineLog? log, CancellationToken cancellationToken);
}
