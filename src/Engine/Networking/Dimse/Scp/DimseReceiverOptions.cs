namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>A standing storage SCP: its name in the session, what it listens as (<see cref="Listen"/>) and the folder it drops series into, one subfolder per Series Instance UID.</summary>
public sealed record DimseReceiverOptions(string Name, DimseAcceptorOptions Listen, string Folder)
{
    /// <summary>Completed series kept for the consumer before the oldest are dropped (with a warning): bounds memory when nobody reads.</summary>
    public int MaxQueuedSeries { get; init; } = 10000;
}
