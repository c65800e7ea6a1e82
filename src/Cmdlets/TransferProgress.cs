using System;
using System.Management.Automation;
using System.Threading;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets;

/// <summary>The worker's latest instance count of a transfer; the pipeline thread turns it into progress records.</summary>
internal sealed class TransferProgress : IProgress<DicomInstanceProgress>
{
    private readonly int _id;
    private readonly string _activity;
    private DicomInstanceProgress? _latest;
    private DicomInstanceProgress? _written;

    public TransferProgress(int id, string activity)
    {
        _id = id;
        _activity = activity;
    }

    public void Report(DicomInstanceProgress value) => Interlocked.Exchange(ref _latest, value);

    public void WriteTo(Cmdlet cmdlet)
    {
        var now = Volatile.Read(ref _latest);
        if (now is null || ReferenceEquals(now, _written))
        {
            return;
        }

        _written = now;
        var of = now.Total is { } total ? $" of {total}" : string.Empty;
        cmdlet.WriteProgress(new ProgressRecord(_id, _activity, $"Instance {now.Done}{of}, {now.Bytes / (1024.0 * 1024.0):N1} MB")
        {
            PercentComplete = now.Total is { } t && t > 0 ? (int)Math.Min(100, 100L * now.Done / t) : -1,
        });
    }

    public void Complete(Cmdlet cmdlet) =>
        cmdlet.WriteProgress(new ProgressRecord(_id, _activity, "Done") { RecordType = ProgressRecordType.Completed });
}
