namespace MdaiClara.Engine.Metrics;

/// <summary>One class of a label map: the voxel value that marks it and its name.</summary>
/// <param name="Label">The voxel value (a non-negative integer; float label maps are truncated toward zero as MONAI's one-hot conversion does).</param>
/// <param name="Name">What the class is called in results (e.g. "spleen").</param>
public sealed record SegmentationClass(int Label, string Name);
