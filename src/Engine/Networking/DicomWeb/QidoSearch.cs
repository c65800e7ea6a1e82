using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// QIDO-RS (PS3.18 10.6): study and series searches as query strings, and their DICOM JSON answers as typed records.
/// A 204 No Content is an empty answer.
/// </summary>
internal static class QidoSearch
{
    private static readonly uint[] StudyFields =
    [
        DicomJsonTags.StudyDescription, DicomJsonTags.ModalitiesInStudy, DicomJsonTags.NumberOfStudyRelatedSeries, DicomJsonTags.NumberOfStudyRelatedInstances,
    ];

    private static readonly uint[] SeriesFields =
    [
        DicomJsonTags.PatientId, DicomJsonTags.PatientName, DicomJsonTags.StudyDate, DicomJsonTags.StudyDescription, DicomJsonTags.AccessionNumber,
        DicomJsonTags.SeriesDescription, DicomJsonTags.SeriesNumber, DicomJsonTags.NumberOfSeriesRelatedInstances,
    ];

    public static string StudiesPath(DicomQuery query)
    {
        var q = Common(query);
        Add(q, "StudyInstanceUID", query.StudyInstanceUid);
        Add(q, "ModalitiesInStudy", query.Modality);
        return "studies" + Finish(q, query, StudyFields);
    }

    public static string SeriesPath(DicomQuery query)
    {
        var q = Common(query);
        Add(q, "Modality", query.Modality);
        Add(q, "SeriesInstanceUID", query.SeriesInstanceUid);
        var root = query.StudyInstanceUid is { Length: > 0 } study ? $"studies/{Uid(study)}/series" : "series";
        return root + Finish(q, query, SeriesFields);
    }

    public static IReadOnlyList<DicomJsonDataset> Run(DicomWebHttp http, Uri baseUri, string path, string what, IEngineLog? log, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUri, path);
        log.Verbose($"QIDO-RS GET {uri}");
        using var response = http.Send(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.9));
            return request;
        }, what, log, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return [];
        }

        var source = uri.GetLeftPart(UriPartial.Path);
        try
        {
            using var body = response.Content.ReadAsStream(cancellationToken);
            if (body.CanSeek && body.Length == 0)
            {
                return [];
            }

            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return DicomJsonDataset.ParseArray(document, source);
        }
        catch (JsonException ex)
        {
            throw DicomJsonDataset.Invalid(source, $"its JSON is malformed ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    public static DicomStudy ToStudy(DicomJsonDataset d, IDicomConnection connection, string source) => new(
        connection,
        Required(d, DicomJsonTags.StudyInstanceUid, "StudyInstanceUID", source),
        d.GetString(DicomJsonTags.PatientId),
        d.GetString(DicomJsonTags.PatientName),
        d.GetDate(DicomJsonTags.StudyDate),
        d.GetString(DicomJsonTags.StudyTime),
        d.GetString(DicomJsonTags.AccessionNumber),
        d.GetString(DicomJsonTags.StudyDescription),
        d.GetStrings(DicomJsonTags.ModalitiesInStudy),
        d.GetInt(DicomJsonTags.NumberOfStudyRelatedSeries),
        d.GetInt(DicomJsonTags.NumberOfStudyRelatedInstances));

    public static DicomSeries ToSeries(DicomJsonDataset d, IDicomConnection connection, string? studyUid, string source) => new(
        connection,
        d.GetString(DicomJsonTags.StudyInstanceUid) ?? studyUid ?? throw Missing("StudyInstanceUID", source),
        Required(d, DicomJsonTags.SeriesInstanceUid, "SeriesInstanceUID", source),
        d.GetString(DicomJsonTags.PatientId),
        d.GetString(DicomJsonTags.PatientName),
        d.GetDate(DicomJsonTags.StudyDate),
        d.GetString(DicomJsonTags.StudyDescription),
        d.GetString(DicomJsonTags.AccessionNumber),
        d.GetString(DicomJsonTags.Modality),
        d.GetInt(DicomJsonTags.SeriesNumber),
        d.GetString(DicomJsonTags.SeriesDescription),
        d.GetInt(DicomJsonTags.NumberOfSeriesRelatedInstances));

    /// <summary>A UID checked before it goes into a URL path (digits and dots, at most 64 characters).</summary>
    public static string Uid(string uid)
    {
        var trimmed = uid.Trim();
        if (trimmed.Length is 0 or > 64 || trimmed.Any(c => c is not ('.' or >= '0' and <= '9')) || trimmed.StartsWith('.') || trimmed.EndsWith('.'))
        {
            throw new MdaiClaraException($"'{uid}' is not a DICOM UID (digits and dots, at most 64 characters).",
                ErrorIds.DicomQueryInvalid, ErrorKind.InvalidArgument, uid);
        }

        return trimmed;
    }

    private static List<KeyValuePair<string, string>> Common(DicomQuery query)
    {
        var q = new List<KeyValuePair<string, string>>();
        Add(q, "PatientID", query.PatientId);
        Add(q, "StudyDate", query.StudyDate?.ToString());
        Add(q, "AccessionNumber", query.AccessionNumber);
        if (query.StudyInstanceUid is { Length: > 0 } study)
        {
            Uid(study);
        }

        if (query.SeriesInstanceUid is { Length: > 0 } series)
        {
            Uid(series);
        }

        return q;
    }

    private static string Finish(List<KeyValuePair<string, string>> q, DicomQuery query, uint[] fields)
    {
        if (query.Limit is { } limit)
        {
            if (limit < 1)
            {
                throw new MdaiClaraException($"A result limit of {limit} asks for nothing; give 1 or more.", ErrorIds.DicomQueryInvalid, ErrorKind.InvalidArgument, limit);
            }

            Add(q, "limit", limit.ToString(CultureInfo.InvariantCulture));
        }

        if (query.Offset is { } offset)
        {
            if (offset < 0)
            {
                throw new MdaiClaraException($"A result offset of {offset} is negative.", ErrorIds.DicomQueryInvalid, ErrorKind.InvalidArgument, offset);
            }

            Add(q, "offset", offset.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var field in fields)
        {
            Add(q, "includefield", field.ToString("X8", CultureInfo.InvariantCulture));
        }

        var text = new StringBuilder();
        foreach (var (key, value) in q)
        {
            text.Append(text.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Escape(value));
        }

        return text.ToString();
    }

    /// <summary>Percent-encodes a value but keeps the DICOM wildcards * and ? literal: both are legal in a query
    /// (RFC 3986), and some servers (Orthanc) match on the raw text.</summary>
    private static string Escape(string value) =>
        Uri.EscapeDataString(value).Replace("%2A", "*", StringComparison.Ordinal).Replace("%3F", "?", StringComparison.Ordinal);

    private static void Add(List<KeyValuePair<string, string>> q, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            q.Add(new(key, value.Trim()));
        }
    }

    private static string Required(DicomJsonDataset d, uint tag, string name, string source) => d.GetString(tag) is { Length: > 0 } value ? value : throw Missing(name, source);

    private static MdaiClaraException Missing(string name, string source) =>
        DicomJsonDataset.Invalid(source, $"a result has no {name}");
}
