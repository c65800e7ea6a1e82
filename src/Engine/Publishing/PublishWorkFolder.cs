using System;
using System.IO;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// A publication's temporary work folder (the package, its extracted copy for the smoke run): made on creation,
/// removed with everything in it on disposal; a folder that cannot be removed is logged, never an error.
/// </summary>
internal sealed class PublishWorkFolder : IDisposable
{
    private readonly IEngineLog? _log;

    public PublishWorkFolder(IEngineLog? log)
    {
        _log = log;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mdaiclara-publish-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Verbose($"Could not remove the temporary folder {Path}.");
        }
    }
}
