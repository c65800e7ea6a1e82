using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>
/// A standing C-STORE SCP (and C-ECHO) running in the background: modalities and PACS send to it, each instance is
/// written atomically to &lt;folder&gt;/&lt;SeriesInstanceUID&gt;/&lt;SOPInstanceUID&gt;.dcm. A series counts as complete when
/// the association that carried it is released by its sender (A-RELEASE: the sender has nothing more to send on it);
/// it is then queued as a <see cref="DicomReceivedSeries"/> for <see cref="TakeSeries"/>. A series sent over several
/// associations is reported once per association, each time with the folder's count. An association that is aborted
/// or lost reports nothing: the whole instances it brought stay in the folder and a warning names them.
/// </summary>
public sealed class DimseReceiver : IDisposable
{
    private readonly DimseAcceptor _acceptor;
    private readonly BlockingCollection<DicomReceivedSeries> _completed = new(new ConcurrentQueue<DicomReceivedSeries>());
    private readonly RecentWarningsLog _log;
    private int _associations;
    private int _instances;
    private int _series;
    private int _failed;
    private DicomReceivedSeries? _last;

    private DimseReceiver(DimseReceiverOptions options, DimseAcceptor acceptor, RecentWarningsLog log)
    {
        Options = options;
        _acceptor = acceptor;
        _log = log;
        StartedAt = DateTimeOffset.Now;
        _acceptor.AssociationEnded += OnAssociationEnded;
    }

    public DimseReceiverOptions Options { get; }

    public string Name => Options.Name;

    public string AETitle => Options.Listen.AeTitle;

    public int Port => _acceptor.Port;

    public string Folder => _acceptor.Folder;

    public DateTimeOffset StartedAt { get; }

    public bool IsRunning { get; private set; } = true;

    public int ActiveAssociations => _acceptor.ActiveAssociations;

    /// <summary>Associations served (accepted or rejected) so far.</summary>
    public int Associations => Volatile.Read(ref _associations);

    public int InstancesReceived => Volatile.Read(ref _instances);

    public int SeriesReceived => Volatile.Read(ref _series);

    /// <summary>Instances refused (a failure status sent back to their sender).</summary>
    public int InstancesFailed => Volatile.Read(ref _failed);

    public DicomReceivedSeries? LastSeries => Volatile.Read(ref _last);

    /// <summary>The latest warnings (rejected associations, refused instances, aborted transfers), oldest first.</summary>
    public System.Collections.Generic.IReadOnlyList<string> RecentWarnings => _log.Warnings;

    /// <summary>Binds the port and starts serving in the background; a port that cannot be bound is <see cref="Errors.ErrorIds.DimseListenFailed"/>.</summary>
    public static DimseReceiver Start(DimseReceiverOptions options, IEngineLog? log)
    {
        var recent = new RecentWarningsLog(log);
        var target = DimseStoreTarget.SeriesFolders(options.Folder);
        var acceptor = DimseAcceptor.Start(options.Listen, target, recent);
        return new DimseReceiver(options, acceptor, recent);
    }

    /// <summary>The next completed series, waiting up to <paramref name="wait"/>; null when none came (or the receiver stopped and none is left).</summary>
    public DicomReceivedSeries? TakeSeries(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            return _completed.TryTake(out var series, (int)Math.Min(int.MaxValue, wait.TotalMilliseconds), cancellationToken) ? series : null;
        }
        catch (InvalidOperationException)
        {
            // Completed for adding and empty: stopped.
            return null;
        }
    }

    /// <summary>Stops listening; associations in progress get <paramref name="grace"/> to finish, then are closed.</summary>
    public void Stop(TimeSpan grace)
    {
        if (!IsRunning)
        {
            return;
        }

        IsRunning = false;
        _acceptor.Stop(grace);
        _completed.CompleteAdding();
        _log.Verbose($"DICOM receiver '{Name}' on port {Port} stopped after {SeriesReceived} series ({InstancesReceived} instances).");
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(2));
        _acceptor.Dispose();
    }

    public override string ToString() => $"{Name} ({AETitle} on port {Port} into {Folder})";

    private void OnAssociationEnded(DimseAssociationSummary summary)
    {
        Interlocked.Increment(ref _associations);
        Interlocked.Add(ref _instances, summary.Stored.Count);
        Interlocked.Add(ref _failed, summary.Failed);
        if (summary.Stored.Count == 0)
        {
            return;
        }

        var bySeries = summary.Stored.GroupBy(s => s.SeriesInstanceUid, StringComparer.Ordinal);
        if (summary.End != DimseAssociationEnd.Released)
        {
            foreach (var group in bySeries)
            {
                _log.Warning($"Receiver '{Name}': the association from {summary.CallingAE} ended ({summary.End}: {summary.Reason}) before it was released; "
                    + $"the {group.Count()} whole instance(s) of series {group.Key} it brought are kept in {Path.GetDirectoryName(group.First().Path)} but the series is not reported as complete.");
            }

            return;
        }

        foreach (var group in bySeries)
        {
            var first = group.First();
            var folder = Path.GetDirectoryName(first.Path)!;
            var held = Directory.EnumerateFiles(folder, "*.dcm").Count();
            var series = new DicomReceivedSeries(folder, first.StudyInstanceUid, group.Key, held, group.Count(), group.Sum(s => s.Bytes),
                summary.CallingAE, Name, DateTimeOffset.Now);
            Interlocked.Increment(ref _series);
            Volatile.Write(ref _last, series);
            if (_completed.Count >= Options.MaxQueuedSeries && _completed.TryTake(out var dropped))
            {
                _log.Warning($"Receiver '{Name}': {Options.MaxQueuedSeries} completed series are waiting unread; the oldest ({dropped.SeriesInstanceUid}) is no longer queued (its files stay in {dropped.Path}).");
            }

            try
            {
                _completed.Add(series);
            }
            catch (InvalidOperationException)
            {
                // Stopped meanwhile: the files are there; nobody is reading any more.
            }
        }
    }
}
