using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// The data dictionary one input travels in (MONAI's dict of keys): "image" from the pre-transforms, "pred" from the
/// inferer, others when a config names them. Disposing it disposes every tensor it holds.
/// </summary>
public sealed class PipelineItem : IDisposable
{
    private readonly Dictionary<string, ImageItem> _images = new(StringComparer.Ordinal);

    /// <summary>What the input is (a path or "Volume from …"), for messages.</summary>
    public required string InputName { get; init; }

    /// <summary>What LoadImage reads, by key (MONAI's {"image": path}); filled by the runner.</summary>
    public Dictionary<string, InputSource> Sources { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys => _images.Keys;

    public bool Contains(string key) => _images.ContainsKey(key);

    public ImageItem this[string key]
    {
        get => _images.TryGetValue(key, out var item) ? item : throw new KeyNotFoundException(key);
        set
        {
            if (_images.TryGetValue(key, out var old) && !ReferenceEquals(old, value))
            {
                old.Dispose();
            }

            _images[key] = value;
        }
    }

    public bool TryGet(string key, out ImageItem item) => _images.TryGetValue(key, out item!);

    public void Dispose()
    {
        foreach (var image in _images.Values.Distinct())
        {
            image.Dispose();
        }

        _images.Clear();
    }
}
