using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Native;
using SkiaSharp;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Makes SkiaSharp's and HarfBuzzSharp's native libraries loadable from the module's layout (bin/&lt;rid&gt;/, where
/// the build stages every native library) as well as from a .NET app's runtimes/&lt;rid&gt;/native/, and turns a load
/// failure into a clear error instead of a TypeInitializationException deep in a chart.
/// </summary>
internal static class SkiaNatives
{
    private static readonly object Gate = new();
    private static bool _ready;

    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_ready)
            {
                return;
            }

            Resolve(typeof(SKBitmap).Assembly, "libSkiaSharp");
            Resolve(typeof(HarfBuzzSharp.Blob).Assembly, "libHarfBuzzSharp");
            try
            {
                using var probe = new SKBitmap(1, 1);
            }
            catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw new MdaiClaraException(
                    $"The report's pictures cannot be drawn: SkiaSharp's native library (libSkiaSharp) did not load ({ex.GetBaseException().Message}). "
                    + "Rebuild the module so bin/<platform>/ holds libSkiaSharp; on Linux it also needs fontconfig (libfontconfig1) and a font (fonts-dejavu-core).",
                    ErrorIds.ReportGraphicsUnavailable, ErrorKind.NotInstalled, "libSkiaSharp", ex);
            }

            _ready = true;
        }
    }

    private static void Resolve(Assembly assembly, string library)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == library ? Load(assembly, library) : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for this assembly (by the host or an earlier load context): leave it.
        }
    }

    private static IntPtr Load(Assembly assembly, string library)
    {
        var platform = NativePlatform.Current;
        // Both keep the "lib" prefix on every platform: libSkiaSharp.dll, libSkiaSharp.so, libSkiaSharp.dylib.
        var file = library + platform.Os switch { NativeOs.Windows => ".dll", NativeOs.MacOS => ".dylib", _ => ".so" };
        var here = Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;
        foreach (var candidate in new[]
        {
            Path.Combine(here, platform.Rid, file),
            Path.Combine(here, file),
            Path.Combine(here, "runtimes", platform.Rid, "native", file),
        })
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero; // the runtime's own probing goes on
    }
}
