using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// A PACS reached over DICOMweb: QIDO-RS searches, WADO-RS series retrieval streamed to a folder, STOW-RS storage.
/// Holds one HttpClient for its life (dispose it when the connection is removed). Its text form names the server and
/// the kind of credential, never the secret.
/// </summary>
public sealed class DicomWebConnection : IDicomConnection
{
    private readonly DicomWebHttp _http;

    public DicomWebConnection(DicomWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _http = new DicomWebHttp(options);
    }

    public DicomWebOptions Options { get; }

    public string Name => Options.Name;

    public DicomTransport Transport => DicomTransport.DicomWeb;

    public string Endpoint => Options.BaseUri.ToString();

    /// <summary>"Basic (user)", "Bearer token" or "none": what kind of credential is sent, never the secret.</summary>
    public string Authentication => Options.Credential?.ToString() ?? "none";

    public IReadOnlyList<DicomStudy> FindStudies(DicomQuery query, CancellationToken cancellationToken) =>
        FindStudies(query, null, cancellationToken);

    public IReadOnlyList<DicomStudy> FindStudies(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken)
    {
        var path = QidoSearch.StudiesPath(query);
        var source = new Uri(Options.BaseUri, "studies").ToString();
        return QidoSearch.Run(_http, Options.BaseUri, path, "a study search", log, cancellationToken)
            .Select(d => QidoSearch.ToStudy(d, this, source)).ToList();
    }

    IEnumerable<DicomStudy> IDicomConnection.FindStudies(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken) =>
        FindStudies(query, log, cancellationToken);

    IEnumerable<DicomSeries> IDicomConnection.FindSeries(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken) =>
        FindSeries(query, log, cancellationToken);

    public IReadOnlyList<DicomSeries> FindSeries(DicomQuery query, CancellationToken cancellationToken) =>
        FindSeries(query, null, cancellationToken);

    public IReadOnlyList<DicomSeries> FindSeries(DicomQuery query, IEngineLog? log, CancellationToken cancellationToken)
    {
        var path = QidoSearch.SeriesPath(query);
        var source = new Uri(Options.BaseUri, "series").ToString();
        return QidoSearch.Run(_http, Options.BaseUri, path, "a series search", log, cancellationToken)
            .Select(d => QidoSearch.ToSeries(d, this, query.StudyInstanceUid, source)).ToList();
    }

    public DicomSeriesReceipt ReceiveSeries(string studyInstanceUid, string seriesInstanceUid, string folder,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken, int? expectedInstances = null) =>
        new WadoSeriesRetrieval(_http, Options, progress, log, cancellationToken).Run(studyInstanceUid, seriesInstanceUid, folder, expectedInstances);

    public IReadOnlyList<DicomStoreResult> Store(IReadOnlyList<string> files, IProgress<DicomInstanceProgress>? progress,
        IEngineLog? log, CancellationToken cancellationToken) =>
        new StowStore(_http, Options, log).Run(files, progress, cancellationToken);

    public override string ToString() => $"{Name} (DICOMweb {Endpoint}, {Authentication})";

    public void Dispose()
    {
        _http.Dispose();
        Options.Credential?.Dispose();
    }
}
