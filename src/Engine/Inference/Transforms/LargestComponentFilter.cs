using System;
using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// MONAI's <c>get_largest_connected_component_mask</c>, inverted: which foreground voxels lie outside the kept
/// component(s). The mask is labelled on the host: one copy goes there and, only when something is removed, the
/// removed voxels come back (as indices when they are few, else as a mask).
/// </summary>
internal static class LargestComponentFilter
{
    /// <summary>Above one removed voxel in this many, a mask is cheaper to send and apply than indices.</summary>
    private const long IndexDensityLimit = 32;

    /// <summary>
    /// The foreground voxels (of a [*spatial] boolean tensor) that are not in the kept components, on the foreground's
    /// device; null when every foreground voxel is kept.
    /// </summary>
    /// <param name="foreground">The voxels to analyse.</param>
    /// <param name="connectivity">1 … spatial rank (skimage's meaning).</param>
    /// <param name="componentsToKeep">How many of the largest to keep (1.x <c>num_components</c>; 0.8.1 keeps one).</param>
    /// <param name="semantics">How ties between equally large components are broken.</param>
    /// <param name="component">The transform's name, for error messages.</param>
    public static RemovedVoxels? RemovedVoxels(Tensor foreground, int connectivity, int componentsToKeep, MonaiSemantics semantics, string component)
    {
        var shape = foreground.shape;
        var voxels = HostMasks.ToHost(foreground, component);
        var components = ConnectedComponentLabeling.Label(voxels, shape, connectivity);
        var kept = semantics == MonaiSemantics.Monai1x ? KeptMonai1x(components.Sizes, componentsToKeep) : KeptMonai08(components.Sizes);
        if (kept is null)
        {
            return null;
        }

        var removed = kept.Select((keep, label) => label > 0 && !keep).ToArray();
        var removedCount = components.Sizes.Where((_, label) => removed[label]).Sum();
        if (removedCount * IndexDensityLimit <= voxels.LongLength)
        {
            return new RemovedVoxels(null, tensor(components.Indices(removed), device: foreground.device));
        }

        Array.Clear(voxels);
        components.Mark(voxels, removed);
        return new RemovedVoxels(HostMasks.ToDevice(voxels, shape, foreground.device), null);
    }

    /// <summary>0.8.1: <c>argmax(bincount[1:]) + 1</c>, the largest component with the lowest label (first in scan order).</summary>
    private static bool[]? KeptMonai08(long[] sizes)
    {
        if (sizes.Length <= 2)
        {
            return null;
        }

        var largest = 1;
        for (var label = 2; label < sizes.Length; label++)
        {
            if (sizes[label] > sizes[largest])
            {
                largest = label;
            }
        }

        var kept = new bool[sizes.Length];
        kept[largest] = true;
        return kept;
    }

    /// <summary>
    /// 1.x: everything when there are at most <paramref name="count"/> components, else the first
    /// <paramref name="count"/> of <c>argsort(bincount)[::-1]</c>, which among equal sizes favours NumPy's sort order
    /// reversed (the highest label, for fewer than 17 components).
    /// </summary>
    private static bool[]? KeptMonai1x(long[] sizes, int count)
    {
        if (sizes.Length - 1 <= count)
        {
            return null;
        }

        var ascending = NumpyArgsort.Order(sizes);
        var kept = new bool[sizes.Length];
        for (var rank = 0; rank < count; rank++)
        {
            kept[ascending[ascending.Length - 1 - rank]] = true;
        }

        return kept;
    }
}

/// <summary>Voxels to set to 0, as a boolean mask of the spatial shape or as C-order indices into it.</summary>
internal sealed class RemovedVoxels
{
    private readonly Tensor? _mask;
    private readonly Tensor? _flatIndices;

    public RemovedVoxels(Tensor? mask, Tensor? flatIndices)
    {
        _mask = mask;
        _flatIndices = flatIndices;
    }

    /// <summary>Zeroes the voxels in <paramref name="channel"/>, a contiguous [*spatial] view, in place.</summary>
    public void ZeroIn(Tensor channel)
    {
        if (_flatIndices is not null)
        {
            channel.view(-1).index_fill_(0, _flatIndices, 0);
        }
        else
        {
            channel.masked_fill_(_mask!, 0);
        }
    }
}
