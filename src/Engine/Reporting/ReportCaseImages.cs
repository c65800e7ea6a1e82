using System.Collections.Generic;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// What a segmentation case's overlay views are drawn from: the image and the truth and predicted label maps, all on
/// ONE grid (same shape, i fastest; same RAS affine), and the label values to outline.
/// </summary>
/// <param name="Image">The image (its first channel is shown).</param>
/// <param name="Truth">The ground-truth label map on the image's grid.</param>
/// <param name="Prediction">The predicted label map on the image's grid.</param>
/// <param name="Labels">The classes to outline: label value and name (background excluded).</param>
public sealed record ReportCaseImages(Volume Image, Volume Truth, Volume Prediction, IReadOnlyList<ReportLabel> Labels)
{
    /// <summary>The modality that decides the window (CT: soft tissue W400/L40); the image's own when null.</summary>
    public string? Modality { get; init; }
}

/// <summary>A class value in a label map and its name.</summary>
public sealed record ReportLabel(int Value, string Name);
