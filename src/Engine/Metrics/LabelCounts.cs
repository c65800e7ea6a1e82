using System;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// One pass over a prediction and a truth label map on one grid: per class slot the true/false positive and false
/// negative voxel counts and the bounding box (i, j, k) of prediction ∪ truth. Slices run in parallel, each worker with
/// its own two slice buffers, so the pass allocates two slices per worker and nothing the size of the volume.
/// </summary>
internal sealed class LabelCounts
{
    private LabelCounts(int slots)
    {
        TruePositives = new long[slots + 1];
        FalsePositives = new long[slots + 1];
        FalseNegatives = new long[slots + 1];
        Low = new int[slots + 1, 3];
        High = new int[slots + 1, 3];
        for (var s = 0; s <= slots; s++)
        {
            for (var a = 0; a < 3; a++)
            {
                Low[s, a] = int.MaxValue;
                High[s, a] = -1;
            }
        }
    }

    public long[] TruePositives { get; }

    public long[] FalsePositives { get; }

    public long[] FalseNegatives { get; }

    /// <summary>[slot, axis] lowest index of the slot's union box; int.MaxValue when the slot is in neither map.</summary>
    public int[,] Low { get; }

    /// <summary>[slot, axis] highest index of the slot's union box; −1 when the slot is in neither map.</summary>
    public int[,] High { get; }

    public static LabelCounts Count(Volume prediction, Volume truth, ClassSlots slots, int slotCount, CancellationToken cancellationToken)
    {
        var nx = (int)truth.Shape[0];
        var ny = (int)truth.Shape[1];
        var nz = (int)truth.Shape[2];
        var sliceLength = nx * ny;
        var total = new LabelCounts(slotCount);
        var gate = new object();
        Parallel.For(
            0,
            nz,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => (Counts: new LabelCounts(slotCount), Predicted: new byte[sliceLength], True: new byte[sliceLength]),
            (k, _, local) =>
            {
                slots.Fill(prediction, (long)k * sliceLength, local.Predicted);
                slots.Fill(truth, (long)k * sliceLength, local.True);
                local.Counts.AddSlice(local.Predicted, local.True, nx, ny, k);
                return local;
            },
            local =>
            {
                lock (gate)
                {
                    total.Merge(local.Counts);
                }
            });
        return total;
    }

    private void AddSlice(byte[] predicted, byte[] truth, int nx, int ny, int k)
    {
        for (var j = 0; j < ny; j++)
        {
            var row = j * nx;
            for (var i = 0; i < nx; i++)
            {
                var p = predicted[row + i];
                var t = truth[row + i];
                if ((p | t) == 0)
                {
                    continue;
                }

                if (p == t)
                {
                    TruePositives[p]++;
                    Extend(p, i, j, k);
                    continue;
                }

                if (p != 0)
                {
                    FalsePositives[p]++;
                    Extend(p, i, j, k);
                }

                if (t != 0)
                {
                    FalseNegatives[t]++;
                    Extend(t, i, j, k);
                }
            }
        }
    }

    private void Extend(int slot, int i, int j, int k)
    {
        if (i < Low[slot, 0]) Low[slot, 0] = i;
        if (i > High[slot, 0]) High[slot, 0] = i;
        if (j < Low[slot, 1]) Low[slot, 1] = j;
        if (j > High[slot, 1]) High[slot, 1] = j;
        if (k < Low[slot, 2]) Low[slot, 2] = k;
        if (k > High[slot, 2]) High[slot, 2] = k;
    }

    private void Merge(LabelCounts other)
    {
        for (var s = 0; s < TruePositives.Length; s++)
        {
            TruePositives[s] += other.TruePositives[s];
            FalsePositives[s] += other.FalsePositives[s];
            FalseNegatives[s] += other.FalseNegatives[s];
            for (var a = 0; a < 3; a++)
            {
                Low[s, a] = Math.Min(Low[s, a], other.Low[s, a]);
                High[s, a] = Math.Max(High[s, a], other.High[s, a]);
            }
        }
    }
}
