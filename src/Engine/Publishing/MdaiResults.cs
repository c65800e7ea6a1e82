using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;

namespace MdaiClara.Engine.Publishing;

/// <summary>An inference result as the list MD.ai shows for it: what the generated mdai_deploy.py returns on MD.ai.</summary>
public static class MdaiResults
{
    /// <summary>The list, one output at a time (segmentation masks are built as they are asked for).</summary>
    /// <param name="result">A result of Invoke-ClaraInference on a DICOM input.</param>
    /// <param name="labelToClassIndex">Segmentation: label value → class_index (null: label − 1).</param>
    /// <param name="threshold">Multi-label classification: the probability an annotation needs.</param>
    public static IEnumerable<JsonObject> Outputs(InferenceResult result, IReadOnlyDictionary<int, int>? labelToClassIndex = null, double threshold = 0.5) =>
        SegmentationOutputs(result, labelToClassIndex)?.Select(o => o.ToJson())
        ?? (result.Probabilities.Count == 0 && result.Decided.Count > 0
            ? MdaiOutputBuilder.DecidedClasses(result.Decided.Select(d => d.Index).ToList(), Dicom(result))
            : MdaiOutputBuilder.Classification(result.Probabilities.Select(p => (p.Index, p.Probability)).ToList(), Dicom(result), result.Sigmoid, threshold)).Select(o => o!.AsObject()).ToList();

    /// <summary>A segmentation's outputs as compact records (a byte a mask pixel), one at a time; null for a classifier.</summary>
    public static IEnumerable<MdaiInstanceOutput>? SegmentationOutputs(InferenceResult result, IReadOnlyDictionary<int, int>? labelToClassIndex = null)
    {
        if (result.Task == "classification")
        {
            return null;
        }

        var dicom = Dicom(result);
        var label = result.Label ?? throw new MdaiClaraException($"{result.Input} has no label map.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, result.Input);

        // The instances are placed by the input series' own grid, not the label map's (they differ if a result could
        // not be brought back onto the input's grid).
        var affine = result.InputAffine ?? throw new MdaiClaraException($"{result.Input} has no input geometry.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, result.Input);
        return MdaiOutputBuilder.SegmentationOutputs(label, dicom, result.Shape, affine, labelToClassIndex);
    }

    private static DicomSeriesGeometry Dicom(InferenceResult result) => result.InputDicom ?? throw new MdaiClaraException(
        $"{result.Input} was not read from DICOM, so it has no instances for MD.ai results; run on the DICOM series.",
        ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, result.Input);
}
