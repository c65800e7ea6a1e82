using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Retrieve;

/// <summary>
/// The bookkeeping a series retrieval over C-GET or C-MOVE shares: instances stored (and the progress they make),
/// instances that failed (ours, and the peer's Failed SOP Instance UID List), the sub-operation counts of the pending
/// responses, and the verdict on the final response: a receipt, or an error naming the status, the counts and the
/// instances that failed. Safe to feed from the threads of the associations that carry the C-STOREs.
/// </summary>
internal sealed class SeriesRetrievalTally
{
    private static readonly DicomTag FailedSopInstanceUidList = new(0x0008, 0x0058);
    private readonly object _gate = new();
    private readonly string _peer;
    private readonly string _operation;
    private readonly string _study;
    private readonly string _series;
    private readonly DimseStoreTarget _target;
    private readonly IProgress<DicomInstanceProgress>? _progress;
    private readonly IEngineLog? _log;
    private readonly List<string> _failures = [];
    private int? _total;
    private int _added;
    private int _skipped;
    private long _bytes;

    public SeriesRetrievalTally(string peer, string operation, string study, string series, DimseStoreTarget target, int? expected,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log)
    {
        _peer = peer;
        _operation = operation;
        _study = study;
        _series = series;
        _target = target;
        _total = expected is > 0 ? expected : null;
        _progress = progress;
        _log = log;
    }

    public int Stored
    {
        get
        {
            lock (_gate)
            {
                return _added + _skipped;
            }
        }
    }

    public void Add(DimseStoredInstance instance)
    {
        DicomInstanceProgress report;
        lock (_gate)
        {
            if (instance.Added)
            {
                _added++;
            }
            else
            {
                _skipped++;
            }

            _bytes += instance.Bytes;
            report = new DicomInstanceProgress(_added + _skipped, _total, instance.SopInstanceUid, _bytes);
        }

        _progress?.Report(report);
    }

    public void Failed(string sopInstanceUid, string reason)
    {
        lock (_gate)
        {
            _failures.Add($"{sopInstanceUid} ({reason})");
        }
    }

    public void Pending(RetrieveCounts counts)
    {
        lock (_gate)
        {
            _total = counts.Total ?? _total;
        }

        _log.Debug($"{_operation} of series {_series} from {_peer}: {counts}.");
    }

    /// <summary>The receipt for a final response, or the error it amounts to.</summary>
    public DicomSeriesReceipt Finish(DimseCommand final, ReadOnlyMemory<byte>? identifier, TimeSpan elapsed, string connection, string? destination = null)
    {
        var status = final.Status;
        var counts = RetrieveCounts.From(final);
        lock (_gate)
        {
            if (identifier is { Length: > 0 } data)
            {
                try
                {
                    var listed = DicomFileReader.ReadBytes(data.ToArray(), $"the final {_operation} response from {_peer}").Dataset.GetString(FailedSopInstanceUidList);
                    foreach (var uid in (listed ?? "").Split('\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!_failures.Any(f => f.StartsWith(uid + " ", StringComparison.Ordinal)))
                        {
                            _failures.Add($"{uid} (failed on the peer's side)");
                        }
                    }
                }
                catch (MdaiClaraException ex)
                {
                    _log.Warning($"The final {_operation} response from {_peer} carries an identifier that cannot be read: {ex.Message}");
                }
            }

            var stored = _added + _skipped;
            var failed = Math.Max(counts.Failed, _failures.Count);
            var kept = $"The {stored} instance(s) received are kept in {_target.Staging.Folder} (no partial file).";
            if (status == DimseStatus.Cancel)
            {
                throw new OperationCanceledException($"The {_operation} of series {_series} was cancelled after {stored} instance(s). {kept}");
            }

            if (status != DimseStatus.Success && !DimseStatus.IsWarning(status) || failed > 0)
            {
                var named = _failures.Count == 0 ? "" : " Failed: " + string.Join(", ", _failures.Take(5)) + (_failures.Count > 5 ? $" and {_failures.Count - 5} more" : "") + ".";
                var comment = final.GetString(DimseCommandTags.ErrorComment) is { Length: > 0 } c ? $" ({c})" : "";
                var hint = stored > 0 || counts.Completed + counts.Failed + counts.Warning > 0 ? ""
                    : destination is null ? $" Nothing was sent: check that the peer holds series {_series} of study {_study} (a search finds it) and allows us to retrieve."
                    : $" Nothing was sent: check that the peer knows the move destination AE title {destination} (with this host and the listening port) and holds series {_series}.";
                throw new MdaiClaraException(
                    $"The {_operation} of series {_series} from {_peer} ended with status {DimseStatus.Describe(status)}{comment}: {counts}.{named}{hint} {kept}",
                    ErrorIds.DimseRetrieveFailed, ErrorKind.InvalidOperation, _series);
            }

            if (stored == 0 && counts.Completed == 0)
            {
                throw new MdaiClaraException($"The DICOM peer {_peer} has no instances of series {_series} in study {_study}: its {_operation} completed with nothing to send.",
                    ErrorIds.DimseSeriesNotFound, ErrorKind.ObjectNotFound, _series);
            }

            if (stored < counts.Completed + counts.Warning)
            {
                var where = destination is null ? "" : $" Check that the AE title {destination} in the peer's configuration points to this host and port.";
                throw new MdaiClaraException(
                    $"The DICOM peer {_peer} reports {counts.Completed + counts.Warning} instance(s) of series {_series} sent, but {stored} arrived here.{where} {kept}",
                    ErrorIds.DimseRetrieveFailed, ErrorKind.InvalidOperation, _series);
            }

            if (counts.Warning > 0)
            {
                _log.Warning($"{_operation} of series {_series} from {_peer}: {counts.Warning} instance(s) stored with warnings.");
            }

            return new DicomSeriesReceipt(_target.Staging.Folder, _study, _series, _target.Staging.Present.Count, _added, _skipped, _bytes, elapsed, connection);
        }
    }
}
