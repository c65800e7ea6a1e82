namespace MdaiClara.Engine.Logging;

public enum EngineLogLevel
{
    Debug,
    Verbose,
    Information,
    Warning,
}

/// <summary>
/// How the engine reports progress notes without knowing its host. The cmdlets queue these and write them
/// from the pipeline thread; tests collect them.
/// </summary>
public interface IEngineLog
{
    void Write(EngineLogLevel level, string message);
}

public static class EngineLogExtensions
{
    public static void Verbose(this IEngineLog? log, string message) => log?.Write(EngineLogLevel.Verbose, message);

    public static void Warning(this IEngineLog? log, string message) => log?.Write(EngineLogLevel.Warning, message);

    public static void Debug(this IEngineLog? log, string message) => log?.Write(EngineLogLevel.Debug, message);
}
