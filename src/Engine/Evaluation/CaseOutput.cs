using System;
using MdaiClara.Engine.Imaging;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// What the pipeline gives for one case: for a segmentation, the predicted label map on the truth's own grid beside
/// the truth, and the prediction and label as the post-transforms leave them (what MONAI's handlers measure); for a
/// classifier, the class scores. Disposing it frees the tensors.
/// </summary>
internal sealed class CaseOutput : IDisposable
{
    public Volume? Prediction { get; init; }

    /// <summary>The image as read (for a report's overlays).</summary>
    public Volume? Image { get; init; }

    public Volume? Truth { get; init; }

    /// <summary>The prediction after the post-transforms (channel-first), for the config's metrics; null outside validate.sh runs.</summary>
    public Tensor? PostPrediction { get; init; }

    /// <summary>The label after the post-transforms (channel-first), for the config's metrics.</summary>
    public Tensor? PostLabel { get; init; }

    public double[]? Scores { get; init; }

    public void Dispose()
    {
        PostPrediction?.Dispose();
        PostLabel?.Dispose();
    }
}
