using System.IO;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Cmdlets;

/// <summary>What an -Mmar argument names: an object from Get-Mmar, a path (folder or zip), or a FileSystemInfo.</summary>
internal static class MmarPaths
{
    public static string Resolve(PSCmdlet cmdlet, object mmar)
    {
        var value = mmar is PSObject ps ? ps.BaseObject : mmar;
        return value switch
        {
            MmarInfo info => info.Path,
            string path => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path),
            FileSystemInfo file => file.FullName,
            _ => throw new MdaiClaraException($"-Mmar takes an object from Get-Mmar or a path, not {value.GetType().Name}.", ErrorIds.MmarNotFound, ErrorKind.InvalidArgument, value),
        };
    }

    /// <summary>A MONAI bundle folder: configs/metadata.json there and no MMAR config/ folder.</summary>
    public static bool IsBundleFolder(string path) =>
        Directory.Exists(path) && File.Exists(Path.Combine(path, "configs", "metadata.json")) && !Directory.Exists(Path.Combine(path, "config"));
}
