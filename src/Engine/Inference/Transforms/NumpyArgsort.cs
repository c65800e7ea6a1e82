using System.Collections.Generic;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>
/// The permutation NumPy 1.x's <c>argsort</c> (default kind, 64-bit integer keys) returns, ties included.
/// </summary>
/// <remarks>
/// MONAI 1.x ranks connected components with <c>argsort(bincount)[::-1]</c>, so which of several equally large
/// components survives depends on how NumPy's unstable sort orders equal keys. Its default sort is an introsort:
/// quicksort with a median-of-three pivot down to partitions of 16 or fewer elements, finished by insertion sort, and
/// heapsort for a partition whose recursion budget (twice ⌊log2 n⌋) runs out. Small inputs therefore come out in
/// stable order; larger ones in the order this partition scheme produces, reproduced step for step here.
/// </remarks>
internal static class NumpyArgsort
{
    private const int InsertionSortLimit = 16;

    /// <summary>Indices that sort <paramref name="keys"/> ascending, in NumPy's order among equal keys.</summary>
    public static int[] Order(IReadOnlyList<long> keys)
    {
        var order = new int[keys.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (order.Length < 2)
        {
            return order;
        }

        var pending = new Stack<(int Low, int High, int Budget)>();
        var low = 0;
        var high = order.Length - 1;
        var budget = 2 * FloorLog2(order.Length);
        while (true)
        {
            if (budget < 0)
            {
                HeapSort(keys, order, low, high);
            }
            else
            {
                while (high - low >= InsertionSortLimit)
                {
                    var split = Partition(keys, order, low, high);

                    // The larger side waits on the stack; the loop goes on with the smaller one.
                    budget--;
                    if (split - low < high - split)
                    {
                        pending.Push((split + 1, high, budget));
                        high = split - 1;
                    }
                    else
                    {
                        pending.Push((low, split - 1, budget));
                        low = split + 1;
                    }
                }

                InsertionSort(keys, order, low, high);
            }

            if (pending.Count == 0)
            {
                return order;
            }

            (low, high, budget) = pending.Pop();
        }
    }

    /// <summary>Median-of-three pivot parked at high − 1, then a Hoare-style sweep; returns the pivot's final place.</summary>
    private static int Partition(IReadOnlyList<long> keys, int[] order, int low, int high)
    {
        var middle = low + ((high - low) >> 1);
        if (keys[order[middle]] < keys[order[low]])
        {
            Swap(order, middle, low);
        }

        if (keys[order[high]] < keys[order[middle]])
        {
            Swap(order, high, middle);
        }

        if (keys[order[middle]] < keys[order[low]])
        {
            Swap(order, middle, low);
        }

        var pivot = keys[order[middle]];
        var left = low;
        var right = high - 1;
        Swap(order, middle, right);
        while (true)
        {
            do
            {
                left++;
            }
            while (keys[order[left]] < pivot);

            do
            {
                right--;
            }
            while (pivot < keys[order[right]]);

            if (left >= right)
            {
                break;
            }

            Swap(order, left, right);
        }

        Swap(order, left, high - 1);
        return left;
    }

    private static void InsertionSort(IReadOnlyList<long> keys, int[] order, int low, int high)
    {
        for (var i = low + 1; i <= high; i++)
        {
            var moving = order[i];
            var key = keys[moving];
            var j = i;
            while (j > low && key < keys[order[j - 1]])
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = moving;
        }
    }

    /// <summary>Heapsort of order[low..high] (a max-heap on 1-based positions), as the introsort fallback.</summary>
    private static void HeapSort(IReadOnlyList<long> keys, int[] order, int low, int high)
    {
        var count = high - low + 1;
        int At(int position) => order[low + position - 1];
        void Set(int position, int value) => order[low + position - 1] = value;

        void SiftDown(int position, int moving, int size)
        {
            var child = position * 2;
            while (child <= size)
            {
                if (child < size && keys[At(child)] < keys[At(child + 1)])
                {
                    child++;
                }

                if (!(keys[moving] < keys[At(child)]))
                {
                    break;
                }

                Set(position, At(child));
                position = child;
                child *= 2;
            }

            Set(position, moving);
        }

        for (var start = count >> 1; start > 0; start--)
        {
            SiftDown(start, At(start), count);
        }

        for (var size = count; size > 1;)
        {
            var moving = At(size);
            Set(size, At(1));
            size--;
            SiftDown(1, moving, size);
        }
    }

    private static int FloorLog2(int value)
    {
        var log = 0;
        while ((value >>= 1) != 0)
        {
            log++;
        }

        return log;
    }

    private static void Swap(int[] order, int a, int b) => (order[a], order[b]) = (order[b], order[a]);
}
