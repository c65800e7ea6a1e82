using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Inference.Native;

/// <summary>
/// Where the module's native libraries are and in which order they are loaded. The module carries one folder of
/// natives per runtime identifier beside its assemblies (bin/linux-x64/, bin/win-x64/); development builds and
/// the test host keep them beside TorchSharp.dll or in runtimes/&lt;rid&gt;/native/. Pure functions of their inputs,
/// so Windows layouts are tested on Linux.
/// </summary>
public static class NativeLibraryLayout
{
    /// <summary>The TorchSharp glue library: LibTorchSharp.dll, libLibTorchSharp.so, libLibTorchSharp.dylib.</summary>
    public const string LibTorchSharp = "LibTorchSharp";

    /// <summary>
    /// libtorch's own libraries in dependency order (the ones that exist are loaded first, by full path). On Windows
    /// the loader does not look beside a DLL for that DLL's dependencies unless told to, so the module loads them itself,
    /// as TorchSharp does for CUDA; on Linux libLibTorchSharp's RUNPATH ($ORIGIN) finds them.
    /// </summary>
    private static readonly string[] WindowsDependencyOrder = { "libiomp5md", "uv", "c10", "c10_cuda", "torch_cpu", "torch_cuda", "torch" };

    /// <summary>The libraries of an external libtorch (MDAICLARA_LIBTORCH), in the order they are preloaded.</summary>
    private static readonly string[] OverrideOrder = { "c10", "c10_cuda", "torch_cpu", "torch_cuda", "torch" };

    /// <summary>Where libLibTorchSharp may be for a TorchSharp.dll in <paramref name="assemblyFolder"/>, best first.</summary>
    public static IReadOnlyList<string> LibTorchSharpCandidates(NativePlatform platform, string assemblyFolder, string buildRid)
    {
        var name = platform.LibraryFileName(LibTorchSharp);
        return new[]
        {
            platform.Join(assemblyFolder, platform.Rid, name),
            platform.Join(assemblyFolder, name),
            platform.Join(assemblyFolder, "runtimes", platform.Rid, "native", name),
            platform.Join(assemblyFolder, "runtimes", buildRid, "native", name),
        }.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// What to load, by full path, before libLibTorchSharp found in <paramref name="nativeFolder"/>: on Windows the
    /// libtorch DLLs there (those <paramref name="exists"/> confirms) in dependency order; elsewhere nothing.
    /// </summary>
    public static IReadOnlyList<string> DependenciesToPreload(NativePlatform platform, string nativeFolder, Func<string, bool> exists)
    {
        if (platform.Os != NativeOs.Windows)
        {
            return Array.Empty<string>();
        }

        return WindowsDependencyOrder.Select(n => platform.Join(nativeFolder, platform.LibraryFileName(n))).Where(exists).ToList();
    }

    /// <summary>The libraries of an external libtorch folder to preload, in order (those <paramref name="exists"/> confirms).</summary>
    public static IReadOnlyList<string> OverrideLibraries(NativePlatform platform, string folder, Func<string, bool> exists) =>
        OverrideOrder.Select(n => platform.Join(folder, platform.LibraryFileName(n))).Where(exists).ToList();

    /// <summary>The folder part of a path in <paramref name="platform"/>'s syntax.</summary>
    public static string FolderOf(NativePlatform platform, string path)
    {
        var cut = platform.Os == NativeOs.Windows ? path.LastIndexOfAny(new[] { '\\', '/' }) : path.LastIndexOf('/');
        return cut <= 0 ? path : path[..cut];
    }
}
