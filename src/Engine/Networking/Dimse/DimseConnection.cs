using System;
using System.Collections.Generic;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// A PACS reached over DIMSE: host, port, the peer's AE title and ours, the timeout of every connect and read. Each
/// operation opens its own association and releases it. Verification (C-ECHO) works now; the query, retrieve and
/// store operations of <see cref="IDicomConnection"/> report <see cref="ErrorIds.DimseOperationNotAvailable"/> until
/// C-FIND, C-GET/C-MOVE and C-STORE land. There is no secret to hide: AE titles are not credentials.
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

    /// <summary>AE titles are the only identity DIMSE carries (no TLS yet).</summary>
    public string Authentication => "AE title " + Options.CallingAE;

    /// <summary>C-ECHO: the association result, the accepted contexts and the round-trip time.</summary>
    public DimseEchoResult Echo(CancellationToken cancellationToken) => DimseVerification.Echo(Options, cancellationToken);

    public IReadOnlyList<DicomStudy> FindStudies(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken) =>
        throw NotAvailable("a study search (C-FIND)");

    public IReadOnlyList<DicomSeries> FindSeries(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken) =>
        throw NotAvailable("a series search (C-FIND)");

    public DicomSeriesReceipt ReceiveSeries(string studyInstanceUid, string seriesInstanceUid, string folder,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken, int? expectedInstances = null) =>
        throw NotAvailable("a series retrieval (C-GET/C-MOVE)");

    public IReadOnlyList<DicomStoreResult> Store(IReadOnlyList<string> files, IProgress<DicomInstanceProgress>? progress,
        IEngineLog? log, CancellationToken cancellationToken) =>
        throw NotAvailable("storing instances (C-STORE)");

    public void Dispose()
    {
        // Every operation opens and releases its own association; nothing stays open between them.
    }

    public override string ToString() => $"{Name} ({Endpoint})";

    private MdaiClaraException NotAvailable(string what) => new(
        $"The DIMSE connection '{Name}' to {Options} cannot do {what} yet: this build speaks only C-ECHO over DIMSE. Use a DICOMweb connection to the same PACS for it.",
        ErrorIds.DimseOperationNotAvailable, ErrorKind.InvalidOperation, Name);
}
