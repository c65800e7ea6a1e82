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

    /// <summary>Loads an MMAR's model: from its file when the MMAR is a folder, from its bytes when it is a zip.</summary>
    public static TorchScriptModel Load(Mmar.MmarFileSource source, Mmar.ModelFileInfo model, DeviceSpec device, IEngineLog? log = null)
    {
        if (source.FileSystemPath(model.RelativePath) is { } path)
        {
            return Load(path, device, log);
        }

        var bytes = source.ReadAllBytes(model.RelativePath, int.MaxValue - 64);
        return Load(bytes, source.DisplayPath(model.RelativePath), device, log);
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
                $"The TorchScript model {Source} failed on an input of shape [{string.Join(", ", input.shape)}]: {FirstLine(ex.Message)}",
                ErrorIds.TorchScriptForwardFailed, ErrorKind.InvalidData, Source, ex);
        }
    }

    public void Dispose() => _module.Dispose();

    private static Tensor? FirstTensor(object? value) => value switch
    {
        Tensor t => t,
        IDictionary d => d.Values.Cast<object?>().Select(FirstTensor).FirstOrDefault(t => t is not null),
        IEnumerable e => e.Cast<object?>().Select(FirstTensor).FirstOrDefault(t => t is not null),
        _ => null,
    };

    private static string FirstLine(string message)
    {
        var line = message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? message;
        return line.EndsWith('.') ? line : line + ".";
    }
}
