using System;
using System.Collections.Generic;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Inference;

/// <summary>
/// Loaded TorchScript models, one per (SHA-256 of the file, device), so a pipeline loads each model once. The
/// module owns one instance and disposes it when the module is removed.
/// </summary>
public sealed class ModelSessionCache : IDisposable
{
    private readonly Dictionary<(string Sha256, string Device), TorchScriptModel> _models = new();
    private readonly object _gate = new();
    private bool _disposed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _models.Count;
            }
        }
    }

    /// <summary>
    /// Returns the cached model for (sha256, device), calling <paramref name="load"/> on a miss. <paramref name="requester"/>
    /// names what asks for it (the MMAR and its model file): a reuse is reported under that name, not under the name of
    /// whatever loaded the same bytes first.
    /// </summary>
    public TorchScriptModel GetOrLoad(string sha256, DeviceSpec device, Func<DeviceSpec, TorchScriptModel> load, IEngineLog? log = null, string? requester = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var resolved = TorchRuntime.ResolveDevice(device, log).ToString();
            if (_models.TryGetValue((sha256, resolved), out var cached))
            {
                log.Verbose(requester is null || requester == cached.Source
                    ? $"Reusing the loaded model {cached.Source} on {resolved}."
                    : $"Reusing the model already loaded on {resolved} for {requester} (the same file, by SHA-256, as {cached.Source}).");
                return cached;
            }

            var model = load(device);
            _models[(sha256, model.Device.ToString())] = model;
            return model;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var model in _models.Values)
            {
                model.Dispose();
            }

            _models.Clear();
        }
    }
}
