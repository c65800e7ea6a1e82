using System;
using System.Collections.Concurrent;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The engine's log as seen from a cmdlet: messages are queued from any thread and written by the pipeline thread
/// (Write* may only be called there).
/// </summary>
internal sealed class HostLog : IEngineLog
{
    private readonly ConcurrentQueue<(EngineLogLevel Level, string Message)> _queue = new();

    public void Write(EngineLogLevel level, string message) => _queue.Enqueue((level, message));

    /// <summary>Writes everything queued so far; call on the pipeline thread.</summary>
    public void Drain(ClaraCmdlet cmdlet)
    {
        while (_queue.TryDequeue(out var item))
        {
            switch (item.Level)
            {
                case EngineLogLevel.Warning:
                    cmdlet.WriteWarning(item.Message);
                    break;
                case EngineLogLevel.Information:
                    cmdlet.WriteInformation(item.Message, new[] { "MdaiClara" });
                    break;
                case EngineLogLevel.Debug:
                    cmdlet.WriteDebug(item.Message);
                    break;
                default:
                    cmdlet.WriteVerbose(item.Message);
                    break;
            }
        }
    }
}
