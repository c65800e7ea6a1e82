using System;
using System.Collections;
using System.Linq;
using System.Runtime.InteropServices;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference;

/// <summary>
/// A TorchScript model loaded on one device, in eval mode. Loading needs libtorch (loaded on demand); the
/// tensors it returns belong to the caller's dispose scope.
/// </summary>
public sealed class TorchScriptModel : IDisposable
{
    private readonly jit.ScriptModule _module;

    private TorchScriptModel(jit.ScriptModule module, Device device, string source)
    {
        _module = module;
        Device = device;
        Source = source;
    }

    public Device Device { get; }

    /// <summary>The file (or zip entry) the model came from, for messages.</summary>
    public string Source { get; }

    /// <summary>Loads from a file on disk.</summary>
    public static TorchScriptModel Load(string path, DeviceSpec device, IEngineLog? log = null) =>
        Load(target => jit.load(path, target), path, device, log);

    /// <summary>Loads from bytes (a model inside a zipped MMAR).</summary>
    public static TorchScriptModel Load(byte[] archive, string source, DeviceSpec device, IEngineLog? log = null) =>
        Load(target => jit.load(archive, target), source, device, log);

    /// <summary>Loads a model's TorchScript: from its file when there is one on disk, from its bytes otherwise (inside a zip).</summary>
    public static TorchScriptModel Load(Models.ModelFile file, DeviceSpec device, IEngineLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.FileSystemPath is { } path ? Load(path, device, log) : Load(file.ReadAllBytes(), file.DisplayPath, device, log);
    }

    private static TorchScriptModel Load(Func<Device, jit.ScriptModule> load, string source, DeviceSpec device, IEngineLog? log)
    {
        var target = TorchRuntime.ResolveDevice(device, log);
        try
        {
            var module = load(target);
            module.eval();
            log.Verbose($"Loaded TorchScript {source} on {target}.");
            return new TorchScriptModel(module, target, source);
        }
        catch (Exception ex) when (ex is ExternalException or InvalidOperationException or ArgumentException)
        {
            throw new MdaiClaraException(
                $"libtorch could not load the TorchScript model {source}: {FirstLine(ex.Message)} Re-export it with torch.jit.script/torch.jit.save (commands/export.sh in Clara).",
                ErrorIds.TorchScriptLoadFailed, ErrorKind.InvalidData, source, ex);
        }
    }

    /// <summary>Runs forward on one tensor; a model returning a tuple, list or dict yields its first tensor.</summary>
    public Tensor Forward(Tensor input)
    {
        try
        {
            var result = _module.call(input);
            return FirstTensor(result) ?? throw new MdaiClaraException(
                $"The TorchScript model {Source} returned {result?.GetType().Name ?? "nothing"}, not a tensor.",
                ErrorIds.TorchScriptForwardFailed, ErrorKind.InvalidData, Source);
        }
        catch (Exception ex) when (ex is ExternalException or InvalidOperationException or ArgumentException)
        {
            throw new MdaiClaraException(
                $"The TorchScript model {Source} failed on an input of shape [{string.Join(", ", input.shape)}]: {InterpreterCause(ex.Message)}",
                ErrorIds.TorchScriptForwardFailed, ErrorKind.InvalidData, Source, ex);
        }
    }

    public void Dispose() => _module.Dispose();

    /// <summary>
    /// The first parameter with a convolution's or linear layer's shape ([out, in, …]): its name and shape, which say how
    /// many channels the model's first layer takes. Null when the module has none.
    /// </summary>
    public (string Name, long[] Shape)? FirstLayerWeight()
    {
        foreach (var (name, parameter) in _module.named_parameters())
        {
            using (parameter)
            {
                if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() >= 2)
                {
                    return (name, parameter.shape);
                }
            }
        }

        return null;
    }

    private static Tensor? FirstTensor(object? value) => value switch
    {
        Tensor t => t,
        IDictionary d => d.Values.Cast<object?>().Select(FirstTensor).FirstOrDefault(t => t is not null),
        IEnumerable e => e.Cast<object?>().Select(FirstTensor).FirstOrDefault(t => t is not null),
        _ => null,
    };

    /// <summary>
    /// The interpreter's cause: TorchScript errors start with "The following operation failed in the TorchScript
    /// interpreter." and a traceback, and end with the error itself ("RuntimeError: Given groups=1, weight of size …").
    /// </summary>
    internal static string InterpreterCause(string message)
    {
        var lines = message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var cause = lines.LastOrDefault(IsErrorLine);
        var line = cause ?? lines.FirstOrDefault() ?? message;
        return line.EndsWith('.') ? line : line + ".";
    }

    private static bool IsErrorLine(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var head = space < 0 ? line : line[..space];
        return head.EndsWith("Error:", StringComparison.Ordinal) || head.EndsWith("Exception:", StringComparison.Ordinal);
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? message;
        return line.EndsWith('.') ? line : line + ".";
    }
}
