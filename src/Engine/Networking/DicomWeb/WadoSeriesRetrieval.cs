using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// WADO-RS retrieval of one series into a <see cref="ReceiveFolder"/>. The series' instances are listed first
/// (QIDO-RS), which gives the total for progress and tells what the folder still lacks: when most of the series is
/// missing it comes in one multipart/related answer, streamed part by part to disk (instances already there are
/// skipped as they pass); when a few are missing, only those are asked for, one request each. A connection lost mid-transfer is resumed that way (the instances
/// written are kept) up to the connection's retry count, then reported with what was kept. Instances are asked for in
/// the transfer syntax they are stored in (transfer-syntax=*), so the files are the server's own, bit for bit.
/// </summary>
internal sealed class WadoSeriesRetrieval
{
    private const string DicomMediaType = "application/dicom";
    private readonly DicomWebHttp _http;
    private readonly DicomWebOptions _options;
    private readonly IEngineLog? _log;
    private readonly IProgress<DicomInstanceProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private int _done;
    private int? _total;
    private long _bytes;
    private int _received;
    private readonly HashSet<string> _receivedUids = new(StringComparer.Ordinal);

    public WadoSeriesRetrieval(DicomWebHttp http, DicomWebOptions options, IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken)
    {
        _http = http;
        _options = options;
        _progress = progress;
        _log = log;
        _cancellationToken = cancellationToken;
    }

    public DicomSeriesReceipt Run(string studyUid, string seriesUid, string folder, int? expectedInstances)
    {
        var clock = Stopwatch.StartNew();
        var study = QidoSearch.Uid(studyUid);
        var series = QidoSearch.Uid(seriesUid);
        var seriesPath = $"studies/{study}/series/{series}";
        var target = new ReceiveFolder(folder);
        _total = expectedInstances is > 0 ? expectedInstances : null;

        // An empty folder needs no list: the whole series comes in one answer. A folder with instances in it needs the
        // list to know what is missing (and so does a transfer resumed after an interruption).
        List<string>? listed = target.Present.Count > 0 ? ListInstances(seriesPath, series, study) : null;
        var skipped = 0;
        if (listed is not null)
        {
            ReportPresent(listed, target);
            skipped = listed.Count(target.Contains);
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (listed is null)
                {
                    Fetch(seriesPath, target, $"series {series}", series, study);
                    break;
                }

                var missing = listed.Where(uid => !target.Contains(uid)).ToList();
                if (missing.Count == 0)
                {
                    break;
                }

                // Most of the series missing: one streamed answer (what is there is skipped as it passes); a few: one by one.
                if (missing.Count * 2 >= listed.Count)
                {
                    Fetch(seriesPath, target, $"series {series}", series, study);
                }
                else
                {
                    foreach (var uid in missing)
                    {
                        _cancellationToken.ThrowIfCancellationRequested();
                        Fetch($"{seriesPath}/instances/{QidoSearch.Uid(uid)}", target, $"instance {uid}", series, study);
                    }
                }

                break;
            }
            catch (Exception ex) when (IsInterruption(ex) && !_cancellationToken.IsCancellationRequested)
            {
                var kept = _receivedUids.Count + skipped;
                var of = (listed?.Count ?? _total) is { } total ? $" of {total}" : string.Empty;
                if (attempt >= _options.MaxRetries)
                {
                    throw new MdaiClaraException(
                        $"The transfer of series {series} from {_options.BaseUri} ('{_options.Name}') stopped after {kept}{of} instances: {Reason(ex)}. "
                        + $"The {kept} complete instance(s) in {target.Folder} are kept (no partial file); retrieving the series into the same folder again fetches only the rest.",
                        ErrorIds.DicomWebTransferInterrupted, ErrorKind.ResourceUnavailable, seriesUid, ex);
                }

                var delay = TimeSpan.FromTicks(_options.RetryDelay.Ticks * (1L << Math.Min(attempt, 10)));
                _log.Warning($"{_options.Name}: the transfer of series {series} stopped after {kept}{of} instances ({Reason(ex)}); resuming in {delay.TotalSeconds:0.##} s.");
                _cancellationToken.WaitHandle.WaitOne(delay);
                _cancellationToken.ThrowIfCancellationRequested();
                if (listed is null)
                {
                    try
                    {
                        listed = ListInstances(seriesPath, series, study);
                        _total = listed.Count;
                    }
                    catch (Exception listing) when (IsInterruption(listing) && !_cancellationToken.IsCancellationRequested && attempt + 1 < _options.MaxRetries)
                    {
                        // Still away: the next round lists again.
                    }
                    catch (Exception listing) when (IsInterruption(listing) && !_cancellationToken.IsCancellationRequested)
                    {
                        throw new MdaiClaraException(
                            $"The transfer of series {series} from {_options.BaseUri} ('{_options.Name}') stopped after {kept}{of} instances: {Reason(listing)}. "
                            + $"The {kept} complete instance(s) in {target.Folder} are kept (no partial file); retrieving the series into the same folder again fetches only the rest.",
                            ErrorIds.DicomWebTransferInterrupted, ErrorKind.ResourceUnavailable, seriesUid, listing);
                    }
                }
            }
        }

        if (listed is not null && listed.Count(uid => !target.Contains(uid)) is var absent and > 0)
        {
            throw new MdaiClaraException(
                $"{_options.BaseUri} ('{_options.Name}') lists {listed.Count} instances in series {series} but sent only {listed.Count - absent}; the {absent} missing were not in its answer.",
                ErrorIds.DicomWebResponseInvalid, ErrorKind.InvalidData, seriesUid);
        }

        if (listed is null && _received == 0)
        {
            throw NotFound(series, study);
        }

        // A server whose instance list is capped may send more than it listed: count what the folder holds of the series.
        var instances = (listed ?? []).Union(_receivedUids, StringComparer.Ordinal).Count();
        return new DicomSeriesReceipt(target.Folder, study, series, instances, _received, skipped, _bytes, clock.Elapsed, _options.Name);
    }

    private void ReportPresent(List<string> listed, ReceiveFolder target)
    {
        _total = listed.Count;
        foreach (var uid in listed.Where(target.Contains))
        {
            Report(uid);
        }
    }

    private MdaiClaraException NotFound(string series, string study) => new(
        $"{_options.BaseUri} ('{_options.Name}') has no instances of series {series} in study {study}.",
        ErrorIds.DicomWebNotFound, ErrorKind.ObjectNotFound, series);

    private List<string> ListInstances(string seriesPath, string series, string study)
    {
        var found = QidoSearch.Run(_http, _options.BaseUri, $"{seriesPath}/instances?includefield=00080018", "an instance search", _log, _cancellationToken);
        var listed = found.Select(d => d.GetString(DicomJsonTags.SopInstanceUid)).OfType<string>().Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return listed.Count > 0 ? listed : throw NotFound(series, study);
    }

    private void Fetch(string path, ReceiveFolder target, string what, string series, string study)
    {
        var uri = new Uri(_options.BaseUri, path);
        _log.Verbose($"WADO-RS GET {uri}");
        using var response = _http.Send(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
            return request;
        }, $"the retrieval of {what}", _log, _cancellationToken, status => status == HttpStatusCode.NotFound);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotFound(series, study);
        }

        var source = uri.GetLeftPart(UriPartial.Path);
        var boundary = Boundary(response.Content.Headers.ContentType, source);
        using var body = new IdleTimeoutStream(response.Content.ReadAsStream(_cancellationToken), _options.Timeout, source, _cancellationToken);
        var reader = new MultipartRelatedReader(body, boundary, source);
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (!reader.MoveNext(_cancellationToken))
            {
                return;
            }

            if (reader.Headers.TryGetValue("Content-Type", out var partType) && !IsDicom(partType))
            {
                throw new MdaiClaraException($"{source} sent a part of type '{partType}' where {DicomMediaType} was asked for.",
                    ErrorIds.DicomWebResponseInvalid, ErrorKind.InvalidData, source);
            }

            string temporary;
            long length;
            using (var file = target.CreateTemporary())
            {
                temporary = file.Name;
                try
                {
                    length = reader.CopyBodyTo(file, _cancellationToken);
                }
                catch
                {
                    file.Dispose();
                    ReceiveFolder.Abandon(temporary);
                    throw;
                }
            }

            var (uid, added) = target.Commit(temporary, source);
            if (added)
            {
                _bytes += length;
                _received++;
                _receivedUids.Add(uid);
                Report(uid);
            }
        }
    }

    private void Report(string uid)
    {
        _done++;
        _progress?.Report(new DicomInstanceProgress(_done, _total, uid, _bytes));
    }

    private static string Boundary(MediaTypeHeaderValue? contentType, string source)
    {
        if (contentType?.MediaType is not { } mediaType || !mediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
        {
            throw new MdaiClaraException($"{source} answered with '{contentType?.ToString() ?? "no Content-Type"}' where multipart/related was asked for.",
                ErrorIds.DicomWebResponseInvalid, ErrorKind.InvalidData, source);
        }

        var boundary = contentType.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (string.IsNullOrEmpty(boundary))
        {
            throw new MdaiClaraException($"{source} answered multipart/related without a boundary parameter.", ErrorIds.DicomWebResponseInvalid, ErrorKind.InvalidData, source);
        }

        return boundary;
    }

    private static bool IsDicom(string contentType) =>
        contentType.Split(';')[0].Trim().Equals(DicomMediaType, StringComparison.OrdinalIgnoreCase);

    private static bool IsInterruption(Exception ex) => ex is IOException or HttpRequestException
        || ex is MdaiClaraException { ErrorId: ErrorIds.DicomWebTransferInterrupted or ErrorIds.DicomWebUnreachable or ErrorIds.DicomWebTimeout };

    private static string Reason(Exception ex) => (ex is MdaiClaraException ? ex.Message : (ex.InnerException ?? ex).Message).TrimEnd('.');
}
