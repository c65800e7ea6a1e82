using System.Collections.Generic;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// The annotations of one series as a label map on the series' own grid (<see cref="Labels"/>: same shape and affine
/// as the series volume, its DICOM geometry kept), and every annotation that could not be placed, named.
/// </summary>
/// <param name="Labels">The label map; 0 is background.</param>
/// <param name="Warnings">What was left out and why (instance not in the series, unknown label, frame out of range…).</param>
public sealed record AnnotationLabelVolume(Volume Labels, IReadOnlyList<string> Warnings)
{
    /// <summary>How many annotations were drawn into the map.</summary>
    public int DrawnCount { get; init; }

    /// <summary>Label id (L_…) → the class value written for it.</summary>
    public IReadOnlyDictionary<string, int> LabelValues { get; init; } = new Dictionary<string, int>();
}
