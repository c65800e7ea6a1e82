using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Native;
using MdaiClara.Engine.Logging;
using TorchSharp;

namespace MdaiClara.Engine.Inference;

/// <summary>
/// Loads libtorch on first use (never at module import) and turns a <see cref="DeviceSpec"/> into a torch device.
/// Load failures become <see cref="MdaiClaraException"/>s that say why and what to do, with TorchSharp's own
/// load trace kept in <see cref="MdaiClaraException.DiagnosticDetail"/> for -Verbose.
/// </summary>
public static class TorchRuntime
{
    /// <summary>A folder holding a libtorch of the same version (e.g. a CUDA PyTorch's torch/lib) to use instead of the bundled one.</summary>
    public const string LibTorchOverrideVariable = "MDAICLARA_LIBTORCH";

    private static readonly object Gate = new();
    private static bool _loaded;
    private static string _loadReport = string.Empty;

    /// <summary>True once libtorch is loaded in this process.</summary>
    public static bool IsLoaded
    {
        get
        {
            lock (Gate)
            {
                return _loaded;
            }
        }
    }

    /// <summary>What was loaded from where, for -Verbose.</summary>
    public static string LoadReport
    {
        get
        {
            lock (Gate)
            {
                return _loadReport;
            }
        }
    }

    public static void EnsureLoaded(IEngineLog? log = null)
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            var trace = new StringBuilder();
            PreloadOverride(trace);
            var native = FindLibTorchSharp();
            if (native is not null)
            {
                var platform = NativePlatform.Current;
                var libraries = NativeLibraryLayout.DependenciesToPreload(platform, NativeLibraryLayout.FolderOf(platform, native), File.Exists).Append(native);
                foreach (var library in libraries)
                {
                    trace.AppendLine($"Loading {library}");
                    try
                    {
                        NativeLibrary.Load(library);
                    }
                    catch (DllNotFoundException ex)
                    {
                        throw LoadFailure(library, ex.Message, trace.ToString(), ex);
                    }
                }
            }
            else
            {
                trace.AppendLine("libLibTorchSharp was not found in the module's native folder or beside TorchSharp.dll; leaving the search to TorchSharp.");
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or DllNotFoundException or TypeInitializationException)
            {
                throw LoadFailure(native ?? "libLibTorchSharp", ex.Message, trace.ToString(), ex);
            }

            _loaded = true;
            _loadReport = $"libtorch {torch.__version__} loaded (TorchSharp {typeof(torch).Assembly.GetName().Version}, {torch.get_num_threads()} threads) from {Path.GetDirectoryName(native ?? typeof(torch).Assembly.Location)}";
            log.Verbose(_loadReport);
            log.Debug(trace.ToString());
        }
    }

    /// <summary>Resolves Auto/Cpu/Cuda/Cuda:N, loading libtorch if needed. Asking for CUDA where it is unavailable throws.</summary>
    public static torch.Device ResolveDevice(DeviceSpec spec, IEngineLog? log = null)
    {
        EnsureLoaded(log);
        switch (spec.Kind)
        {
            case DeviceKind.Cpu:
                return torch.CPU;
            case DeviceKind.Auto:
                var cuda = CudaAvailable(out _);
                log.Verbose(cuda ? "Device Auto: CUDA is available, using cuda:0." : "Device Auto: CUDA is not available, using the CPU.");
                return cuda ? new torch.Device(DeviceType.CUDA, 0) : torch.CPU;
            default:
                if (!CudaAvailable(out var why))
                {
                    throw new MdaiClaraException(
                        $"Device {spec} was requested, but CUDA is not available here: {why} Run on the CPU (or let the device be chosen automatically).",
                        ErrorIds.CudaUnavailable, ErrorKind.ResourceUnavailable, spec.ToString())
                    {
                        DiagnosticDetail = LoadReport + Environment.NewLine + CudaLoadTrace(),
                    };
                }

                var count = torch.cuda.device_count();
                var index = spec.Index ?? 0;
                if (index >= count)
                {
                    throw new MdaiClaraException(
                        $"Device {spec} was requested, but this machine has {count} CUDA device(s) (cuda:0 to cuda:{count - 1}).",
                        ErrorIds.CudaUnavailable, ErrorKind.ResourceUnavailable, spec.ToString());
                }

                return new torch.Device(DeviceType.CUDA, index);
        }
    }

    private static bool CudaAvailable(out string why)
    {
        if (!torch.cuda.is_available())
        {
            why = BuildInfo.TorchBackend == "cpu"
                ? "this MdaiClara build carries the CPU-only libtorch (TorchBackend=cpu). Build with ./build.ps1 -TorchBackend cuda where TorchSharp-cuda packages are served, or point "
                  + LibTorchOverrideVariable + " at the lib folder of a CUDA PyTorch " + BuildInfo.LibTorchVersion + " (see README, 'GPU')."
                : "libtorch found no CUDA device or driver (torch.cuda.is_available() is false); check nvidia-smi and CUDA_VISIBLE_DEVICES.";
            return false;
        }

        why = string.Empty;
        return true;
    }

    /// <summary>TorchSharp's own account of trying to bring up CUDA, for -Verbose.</summary>
    private static string CudaLoadTrace()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
            return "TorchSharp initialised CUDA, but no device is usable.";
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or DllNotFoundException)
        {
            return ex.Message;
        }
    }

    private static void PreloadOverride(StringBuilder trace)
    {
        var folder = Environment.GetEnvironmentVariable(LibTorchOverrideVariable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            return;
        }

        if (!Directory.Exists(folder))
        {
            throw new MdaiClaraException(
                $"{LibTorchOverrideVariable} is set to '{folder}', which is not a folder. Point it at the lib folder of a PyTorch {BuildInfo.LibTorchVersion} install, or unset it.",
                ErrorIds.TorchRuntimeLoadFailed, ErrorKind.NotInstalled, folder);
        }

        // Loading these first makes libLibTorchSharp bind to them: the loader matches NEEDED entries by soname
        // (by module name on Windows).
        foreach (var path in NativeLibraryLayout.OverrideLibraries(NativePlatform.Current, folder, File.Exists))
        {
            trace.AppendLine($"Preloading {path} ({LibTorchOverrideVariable})");
            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException ex)
            {
                throw LoadFailure(path, ex.Message, trace.ToString(), ex);
            }
        }
    }

    private static string? FindLibTorchSharp()
    {
        var here = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;
        return NativeLibraryLayout.LibTorchSharpCandidates(NativePlatform.Current, here, BuildInfo.NativeRid).FirstOrDefault(File.Exists);
    }

    private static MdaiClaraException LoadFailure(string library, string reason, string trace, Exception inner)
    {
        string message;
        if (reason.Contains("GLIBCXX_", StringComparison.Ordinal))
        {
            message = $"libtorch could not be loaded: {Path.GetFileName(library)} needs a newer C++ runtime (libstdc++) than this system has ({FirstLine(reason)}). "
                + "Build the module on this machine (./build.ps1 -Task Build applies the libstdc++ compatibility fix to its own copy of libLibTorchSharp.so), "
                + "or install a libstdc++ from GCC 13 or later.";
        }
        else
        {
            message = $"libtorch could not be loaded from {Path.GetDirectoryName(library)}: {FirstLine(reason)} "
                + "Rebuild the module (./build.ps1 -Task Build) so the native libraries sit beside TorchSharp.dll, or check "
                + LibTorchOverrideVariable + ".";
        }

        return new MdaiClaraException(message, ErrorIds.TorchRuntimeLoadFailed, ErrorKind.NotInstalled, library, inner)
        {
            DiagnosticDetail = trace + Environment.NewLine + reason,
        };
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
