using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// STOW-RS (PS3.18 10.5): files posted to {root}/studies in batches, each a streamed multipart/related request; the
/// answer's Referenced SOP Sequence (stored, possibly with a warning) and Failed SOP Sequence (refused, with the
/// reason code) are matched back to the files by SOP Instance UID. A file that is not a readable DICOM instance is not
/// sent and gets a failed result saying why.
/// </summary>
internal sealed class StowStore
{
    private readonly DicomWebHttp _http;
    private readonly DicomWebOptions _options;
    private readonly IEngineLog? _log;

    public StowStore(DicomWebHttp http, DicomWebOptions options, IEngineLog? log)
    {
        _http = http;
        _options = options;
        _log = log;
    }

    private sealed record Instance(string Path, string SopInstanceUid, string? SopClassUid, string? StudyUid, string? SeriesUid, long Length);

    public IReadOnlyList<DicomStoreResult> Run(IReadOnlyList<string> files, IProgress<DicomInstanceProgress>? progress, CancellationToken cancellationToken)
    {
        var results = new List<DicomStoreResult>();
        var instances = new List<Instance>();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Read(file, out var why) is { } instance)
            {
                instances.Add(instance);
            }
            else
            {
                results.Add(new DicomStoreResult(file, string.Empty, null, null, null, DicomStoreStatus.NotSent, null, why, _options.Name));
            }
        }

        var done = 0;
        long bytes = 0;
        foreach (var batch in Batches(instances))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var answer = Post(batch, cancellationToken);
            foreach (var instance in batch)
            {
                results.Add(answer.ResultFor(instance, _options.Name));
                bytes += instance.Length;
                progress?.Report(new DicomInstanceProgress(++done, instances.Count, instance.SopInstanceUid, bytes));
            }
        }

        return results;
    }

    private Answer Post(IReadOnlyList<Instance> batch, CancellationToken cancellationToken)
    {
        var uri = new Uri(_options.BaseUri, "studies");
        _log.Verbose($"STOW-RS POST {uri} ({batch.Count} instance(s))");
        using var response = _http.Send(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new MultipartFilesContent(batch.Select(i => i.Path).ToList()) };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.9));
            return request;
        }, $"storing {batch.Count} instance(s)", _log, cancellationToken, status => status is HttpStatusCode.Conflict or HttpStatusCode.BadRequest);

        var source = uri.ToString();
        string text;
        using (var reader = new StreamReader(response.Content.ReadAsStream(cancellationToken)))
        {
            text = reader.ReadToEnd();
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw _http.StatusError(response, $"storing {batch.Count} instance(s)");
            }

            return new Answer(response.StatusCode, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var sets = DicomJsonDataset.ParseArray(document, source);
            return new Answer(response.StatusCode, sets.Count > 0 ? sets[0] : null);
        }
        catch (JsonException ex)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw _http.StatusError(response, $"storing {batch.Count} instance(s)");
            }

            throw DicomJsonDataset.Invalid(source, $"its STOW-RS answer is not JSON ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    private sealed class Answer
    {
        private readonly HttpStatusCode _status;
        private readonly Dictionary<string, DicomJsonDataset> _stored = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DicomJsonDataset> _failed = new(StringComparer.Ordinal);
        private readonly bool _hasBody;

        public Answer(HttpStatusCode status, DicomJsonDataset? body)
        {
            _status = status;
            _hasBody = body is not null;
            if (body is null)
            {
                return;
            }

            foreach (var item in body.GetSequence(DicomJsonTags.ReferencedSopSequence))
            {
                if (item.GetString(DicomJsonTags.ReferencedSopInstanceUid) is { } uid)
                {
                    _stored[uid] = item;
                }
            }

            foreach (var item in body.GetSequence(DicomJsonTags.FailedSopSequence))
            {
                if (item.GetString(DicomJsonTags.ReferencedSopInstanceUid) is { } uid)
                {
                    _failed[uid] = item;
                }
            }
        }

        public DicomStoreResult ResultFor(Instance i, string connection)
        {
            if (_failed.TryGetValue(i.SopInstanceUid, out var failed))
            {
                var code = failed.GetInt(DicomJsonTags.FailureReason);
                var reason = code is { } c ? $"the server refused it: {StowStatus.Format(c)}" : "the server refused it without a reason code";
                return Make(i, DicomStoreStatus.Failed, code, reason, connection);
            }

            if (_stored.TryGetValue(i.SopInstanceUid, out var stored))
            {
                var warning = stored.GetInt(DicomJsonTags.WarningReason);
                return warning is { } w
                    ? Make(i, DicomStoreStatus.Warning, w, $"stored with a warning: {StowStatus.Format(w)}", connection)
                    : Make(i, DicomStoreStatus.Stored, null, null, connection);
            }

            // A success without a body (some servers) stores everything; a body that leaves an instance out does not.
            return !_hasBody && _status is HttpStatusCode.OK
                ? Make(i, DicomStoreStatus.Stored, null, null, connection)
                : Make(i, DicomStoreStatus.Failed, null, $"the server's answer (HTTP {(int)_status}) does not list it as stored", connection);
        }

        private static DicomStoreResult Make(Instance i, DicomStoreStatus status, int? code, string? reason, string connection) =>
            new(i.Path, i.SopInstanceUid, i.SopClassUid, i.StudyUid, i.SeriesUid, status, code, reason, connection);
    }

    private IEnumerable<IReadOnlyList<Instance>> Batches(List<Instance> instances)
    {
        var batch = new List<Instance>();
        long size = 0;
        foreach (var instance in instances)
        {
            if (batch.Count > 0 && (batch.Count >= _options.StoreBatchInstances || size + instance.Length > _options.StoreBatchBytes))
            {
                yield return batch;
                batch = new List<Instance>();
                size = 0;
            }

            batch.Add(instance);
            size += instance.Length;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static Instance? Read(string path, out string? why)
    {
        try
        {
            var file = DicomFileReader.Read(path);
            var ds = file.Dataset;
            var uid = ds.GetString(DicomTag.SopInstanceUid)?.Trim('\0', ' ');
            if (string.IsNullOrEmpty(uid))
            {
                why = "it has no SOP Instance UID, so no server can store it";
                return null;
            }

            why = null;
            return new Instance(path, uid, ds.GetString(DicomTag.SopClassUid)?.Trim('\0', ' '), ds.GetString(DicomTag.StudyInstanceUid)?.Trim('\0', ' '),
                ds.GetString(DicomTag.SeriesInstanceUid)?.Trim('\0', ' '), new FileInfo(path).Length);
        }
        catch (MdaiClaraException ex)
        {
            why = ex.Message.TrimEnd('.');
            return null;
        }
    }
}
