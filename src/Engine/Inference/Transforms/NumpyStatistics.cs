using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// NumPy 1.x's float32 <c>mean</c> and <c>std</c>, computed with torch ops on the data's device in NumPy's exact
/// operation order. MONAI 0.8.1 normalised NumPy arrays, so its statistics carry NumPy's rounding, not torch's.
/// </summary>
/// <remarks>
/// NumPy reduces a float32 array through its 8192-element buffer: each buffer is summed pairwise in float32 and the
/// buffer sums are added to the running total in order. Pairwise, a run of at most 128 values is summed with eight
/// interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the tail of fewer than eight
/// values is added in order; longer runs are split in two at half the length rounded down to a multiple of 8.
/// All buffers of one length share that tree, so each sequential step is one element-wise float32 add over every
/// block of every buffer at once on the device; only the buffer totals (one per 8192 values) are added up on the
/// host. The result is bit-identical to NumPy 1.24 (checked against it).
/// </remarks>
internal static class NumpyStatistics
{
    private const long BufferSize = 8192;
    private const long PairwiseBlock = 128;
    private const long Unroll = 8;

    /// <summary>np.mean and np.std (ddof 0) of a float32 tensor, as 0-dim float32 tensors on its device.</summary>
    public static (Tensor Mean, Tensor Std) MeanAndPopulationStd(Tensor values)
    {
        var flat = values.reshape(-1);
        var count = flat.numel();
        var sum = Sum(flat);

        // np.mean: the float32 sum divided by the item count as a NumPy scalar operation (float64), back to float32.
        var mean = (sum.to_type(ScalarType.Float64) / count).to_type(ScalarType.Float32);

        // np.var: the mean it subtracts is a float32 array division, the squares and their sum float32.
        var arrayMean = sum / (double)(float)count;
        var deviation = flat - arrayMean;
        var squares = deviation * deviation;
        var variance = (Sum(squares).to_type(ScalarType.Float64) / count).to_type(ScalarType.Float32);

        // NumPy's float32 sqrt is correctly rounded; libtorch's vectorised one may be an ulp off, a float64 one is not.
        var std = variance.to_type(ScalarType.Float64).sqrt().to_type(ScalarType.Float32);
        return (mean, std);
    }

    /// <summary>NumPy's float32 sum (np.add.reduce) of a 1-D float32 tensor, as a 0-dim float32 tensor on its device.</summary>
    public static Tensor Sum(Tensor flat)
    {
        var count = flat.numel();
        var fullBuffers = count / BufferSize;
        var tail = count % BufferSize;
        var bufferTotals = new List<float>();
        if (fullBuffers > 0)
        {
            bufferTotals.AddRange(PairwiseSums(flat.narrow(0, 0, fullBuffers * BufferSize).view(fullBuffers, BufferSize)));
        }

        if (tail > 0)
        {
            bufferTotals.AddRange(PairwiseSums(flat.narrow(0, fullBuffers * BufferSize, tail).view(1, tail)));
        }

        // The reduction starts from the identity 0 and adds each buffer's total in turn, in float32.
        var total = 0.0f;
        foreach (var bufferTotal in bufferTotals)
        {
            total += bufferTotal;
        }

        return tensor(total, device: flat.device);
    }

    /// <summary>NumPy's pairwise float32 sum of each row of [buffers, length], on the device; the row sums on the host.</summary>
    private static float[] PairwiseSums(Tensor buffers)
    {
        using var scope = NewDisposeScope();
        var device = buffers.device;
        var rows = buffers.shape[0];
        var plan = PairwisePlan.For(buffers.shape[1]);
        var nodeValues = zeros(rows, plan.NodeCount, dtype: ScalarType.Float32, device: device);

        foreach (var group in plan.Leaves.GroupBy(leaf => leaf.Length))
        {
            var leaves = group.ToArray();
            var length = group.Key;
            var starts = tensor(leaves.Select(leaf => leaf.Start).ToArray(), device: device);
            var tiles = leaves.Select((leaf, i) => leaf.Start == i * length).All(x => x) && leaves.Length * length == buffers.shape[1];
            var blocks = tiles
                ? buffers.reshape(rows * leaves.Length, length)
                : buffers.index_select(1, (starts.unsqueeze(1) + arange(length, dtype: ScalarType.Int64, device: device).unsqueeze(0)).reshape(-1)).reshape(rows * leaves.Length, length);
            var ids = tensor(leaves.Select(leaf => (long)leaf.Node).ToArray(), device: device);
            nodeValues.index_copy_(1, ids, SumBlocks(blocks).reshape(rows, leaves.Length));
        }

        foreach (var level in plan.Joins.GroupBy(join => join.Height).OrderBy(level => level.Key))
        {
            var joins = level.ToArray();
            var ids = tensor(joins.Select(join => (long)join.Node).ToArray(), device: device);
            var left = tensor(joins.Select(join => (long)join.Left).ToArray(), device: device);
            var right = tensor(joins.Select(join => (long)join.Right).ToArray(), device: device);
            nodeValues.index_copy_(1, ids, nodeValues.index_select(1, left) + nodeValues.index_select(1, right));
        }

        return nodeValues[.., plan.Root].cpu().data<float>().ToArray();
    }

    /// <summary>NumPy's sum of each row of [blocks, length] with length at most 128, in its order.</summary>
    private static Tensor SumBlocks(Tensor blocks)
    {
        var length = blocks.shape[1];
        Tensor total;
        long next;
        if (length < Unroll)
        {
            total = full(blocks.shape[0], -0.0f, dtype: ScalarType.Float32, device: blocks.device);
            next = 0;
        }
        else
        {
            // Group-major layout, so each of the sequential steps adds one contiguous [blocks, 8] slab in place.
            var fullGroups = length / Unroll;
            var groups = blocks[.., ..(int)(fullGroups * Unroll)].reshape(blocks.shape[0], fullGroups, Unroll).permute(1, 0, 2).contiguous();
            var accumulators = groups[0].clone();
            for (long g = 1; g < fullGroups; g++)
            {
                accumulators.add_(groups[g]);
            }

            Tensor Column(long c) => accumulators[.., (int)c];
            total = ((Column(0) + Column(1)) + (Column(2) + Column(3))) + ((Column(4) + Column(5)) + (Column(6) + Column(7)));
            next = fullGroups * Unroll;
        }

        for (; next < length; next++)
        {
            total = total + blocks[.., (int)next];
        }

        return total;
    }

    /// <summary>The recursion of NumPy's pairwise sum over one buffer, as leaves (blocks) and joins (additions).</summary>
    private sealed class PairwisePlan
    {
        public readonly record struct Leaf(int Node, long Start, long Length);

        public readonly record struct Join(int Node, int Left, int Right, int Height);

        public List<Leaf> Leaves { get; } = new();

        public List<Join> Joins { get; } = new();

        public int NodeCount { get; private set; }

        public int Root { get; private set; }

        public static PairwisePlan For(long length)
        {
            var plan = new PairwisePlan();
            plan.Root = plan.Add(0, length).Node;
            return plan;
        }

        private (int Node, int Height) Add(long start, long length)
        {
            if (length <= PairwiseBlock)
            {
                var leaf = NodeCount++;
                Leaves.Add(new Leaf(leaf, start, length));
                return (leaf, 0);
            }

            var half = length / 2;
            half -= half % Unroll;
            var left = Add(start, half);
            var right = Add(start + half, length - half);
            var node = NodeCount++;
            var height = Math.Max(left.Height, right.Height) + 1;
            Joins.Add(new Join(node, left.Node, right.Node, height));
            return (node, height);
        }
    }
}
