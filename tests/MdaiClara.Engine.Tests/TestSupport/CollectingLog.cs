using System.Collections.Generic;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>An engine log that keeps what it is told, for assertions.</summary>
internal sealed class CollectingLog : IEngineLog
{
    public List<(EngineLogLevel Level, string Message)> Messages { get; } = new();

    public void Write(EngineLogLevel level, string message)
    {
        lock (Messages)
        {
            Messages.Add((level, message));
        }
    }
}
