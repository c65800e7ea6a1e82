using System.Collections.Generic;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>An engine log that keeps the latest warnings (a fixed number) and passes everything on to an optional inner log: what a background receiver says while nobody is watching.</summary>
public sealed class RecentWarningsLog : IEngineLog
{
    private readonly Queue<string> _recent = new();
    private readonly IEngineLog? _inner;
    private readonly int _keep;

    public RecentWarningsLog(IEngineLog? inner, int keep = 20)
    {
        _inner = inner;
        _keep = keep;
    }

    /// <summary>The latest warnings, oldest first.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_recent)
            {
                return [.. _recent];
            }
        }
    }

    public void Write(EngineLogLevel level, string message)
    {
        if (level == EngineLogLevel.Warning)
        {
            lock (_recent)
            {
                _recent.Enqueue(message);
                while (_recent.Count > _keep)
                {
                    _recent.Dequeue();
                }
            }
        }

        _inner?.Write(level, message);
    }
}
