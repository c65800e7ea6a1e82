using System;
using System.Collections.Generic;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// The grey-level window of the overlays: CT in the soft-tissue window (W400/L40 HU); any other modality from the
/// image's 1st to 99th percentile (taken over at most a million evenly spaced voxels).
/// </summary>
internal readonly record struct DisplayWindow(double Low, double High, string Description)
{
    private const int MaxSamples = 1_000_000;

    public static DisplayWindow For(Volume image, string? modality)
    {
        if (string.Equals(modality, "CT", StringComparison.OrdinalIgnoreCase))
        {
            return new DisplayWindow(40 - 200, 40 + 200, "CT soft-tissue window W400/L40");
        }

        var read = VoxelAccess.Reader(image);
        var count = image.Shape[0] * image.Shape[1] * image.Shape[2];
        var stride = Math.Max(1, count / MaxSamples);
        var samples = new List<double>((int)Math.Min(count, MaxSamples + 1));
        for (long i = 0; i < count; i += stride)
        {
            var v = read(i);
            if (double.IsFinite(v))
            {
                samples.Add(v);
            }
        }

        if (samples.Count == 0)
        {
            return new DisplayWindow(0, 1, "no finite voxel values");
        }

        samples.Sort();
        var low = DistributionPlots.Quantile(samples, 0.01);
        var high = DistributionPlots.Quantile(samples, 0.99);
        if (high <= low)
        {
            high = low + 1;
        }

        return new DisplayWindow(low, high, $"{modality ?? "image"}: 1st–99th percentile window");
    }

    /// <summary>A value as a grey level 0–255.</summary>
    public byte Grey(double value)
    {
        var t = (value - Low) / (High - Low);
        return (byte)Math.Round(Math.Clamp(double.IsNaN(t) ? 0 : t, 0, 1) * 255);
    }
}
