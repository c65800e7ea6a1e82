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

    /// <summary>The bundle folder a -Bundle argument names: a path, a FileSystemInfo, or any object with a Path property.</summary>
    public static string ResolveBundle(PSCmdlet cmdlet, PSObject bundle)
    {
        var value = bundle.BaseObject;
        var path = value switch
        {
            string s => s,
            FileSystemInfo f => f.FullName,
            _ => bundle.Properties["Path"]?.Value is { } p ? (p is PSObject w ? w.BaseObject : p) as string : null,
        };
        return path is null
            ? throw new MdaiClaraException($"-Bundle takes the path of a bundle folder or an object with a Path property, not {value.GetType().Name}.", ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, value)
            : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
