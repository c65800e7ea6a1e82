using System;
using System.Runtime.InteropServices;

namespace MdaiClara.Engine.Inference.Native;

/// <summary>The operating systems whose native libraries the module can carry.</summary>
public enum NativeOs
{
    Linux,
    Windows,
    MacOS,
}

/// <summary>
/// An operating system and runtime identifier (linux-x64, win-x64, ...) with that system's file naming and path
/// separator, so native paths can be worked out (and tested) for a platform other than the one running.
/// </summary>
public sealed record NativePlatform(NativeOs Os, string Rid)
{
    /// <summary>The platform this process runs on, from the OS and process architecture (never the build host's).</summary>
    public static NativePlatform Current { get; } = Detect();

    /// <summary>The separator this platform's paths use; Windows also accepts '/'.</summary>
    public char Separator => Os == NativeOs.Windows ? '\\' : '/';

    /// <summary>The file name of native library <paramref name="name"/>: torch_cpu.dll, libtorch_cpu.so, libtorch_cpu.dylib.</summary>
    public string LibraryFileName(string name) => Os switch
    {
        NativeOs.Windows => name + ".dll",
        NativeOs.MacOS => "lib" + name + ".dylib",
        _ => "lib" + name + ".so",
    };

    /// <summary>Joins path parts with this platform's separator, whatever platform runs the code.</summary>
    public string Join(string folder, params string[] parts)
    {
        var result = folder;
        foreach (var part in parts)
        {
            result = TrimEndSeparators(result) + Separator + part;
        }

        return result;
    }

    private string TrimEndSeparators(string path)
    {
        var end = path.Length;
        while (end > 1 && (path[end - 1] == Separator || (Os == NativeOs.Windows && path[end - 1] == '/')))
        {
            end--;
        }

        return path[..end];
    }

    private static NativePlatform Detect()
    {
        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? NativeOs.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? NativeOs.MacOS
            : NativeOs.Linux;
        var prefix = os switch { NativeOs.Windows => "win", NativeOs.MacOS => "osx", _ => "linux" };
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            var other => other.ToString().ToLowerInvariant(),
        };
        return new NativePlatform(os, prefix + "-" + arch);
    }
}
