using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.IO;
using MdaiClara.Engine.Mdai.Annotations.Raster;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// Results as MD.ai annotation import items (the pre-annotation path: run the model locally, import its result, let
/// radiologists correct it). A segmentation gives one mask annotation per (instance, class) with exact contours
/// (<see cref="ExactMaskContours"/>: drawn as MD.ai draws them they give the mask back pixel for pixel); a classifier
/// gives global-label annotations for its predicted classes. Classes without a label id are left out and named.
/// </summary>
public static class MdaiAnnotationImportBuilder
{
    /// <summary>
    /// A label map on a DICOM series' grid (its <see cref="Volume.Dicom"/> set), or on any grid with a series volume for
    /// the instances; labelIds maps label value → MD.ai label id (L_…); warnings receives what was left out.
    /// </summary>
    public static IEnumerable<MdaiImportAnnotation> FromLabelVolume(Volume label, Volume? series, IReadOnlyDictionary<int, string> labelIds, ICollection<string> warnings, CancellationToken ct)
    {
        var grid = series ?? label;
        var geometry = grid.Dicom ?? throw new MdaiClaraException(
            $"{label.Source} is not on a DICOM series and no series was given, so there are no instances to annotate in MD.ai.",
            ErrorIds.MdaiAnnotationConversionFailed,
            ErrorKind.InvalidArgument,
            label.Source);
        return FromOutputs(ByLabelValue(MdaiOutputBuilder.SegmentationOutputs(label, geometry, grid.Shape, grid.Affine)), labelIds, warnings, ct);
    }

    /// <summary>
    /// An Invoke-ClaraInference result on a DICOM series: segmentation masks, or the classes a classifier predicts
    /// (argmax, or every class at or over the threshold for a sigmoid model). labelIds maps label value (segmentation)
    /// or class index (classification) → label id.
    /// </summary>
    public static IEnumerable<MdaiImportAnnotation> FromInferenceResult(InferenceResult result, IReadOnlyDictionary<int, string> labelIds, ICollection<string> warnings, CancellationToken ct, double threshold = 0.5)
    {
        var geometry = result.InputDicom ?? throw new MdaiClaraException(
            $"{result.Input} was not read from DICOM, so it has no instances to annotate in MD.ai; run the model on the DICOM series.",
            ErrorIds.MdaiAnnotationConversionFailed,
            ErrorKind.InvalidArgument,
            result.Input);
        if (result.Task == "classification")
        {
            return Classification(result, geometry, labelIds, warnings, threshold);
        }

        var label = result.Label ?? throw new MdaiClaraException($"{result.Input} has no label map.", ErrorIds.MdaiAnnotationConversionFailed, ErrorKind.InvalidData, result.Input);
        var affine = result.InputAffine ?? label.Affine;
        return FromOutputs(ByLabelValue(MdaiOutputBuilder.SegmentationOutputs(label, geometry, result.Shape, affine)), labelIds, warnings, ct);
    }

    /// <summary>
    /// Per-instance masks (MD.ai output lists: type ANNOTATION with class_index and a rows × columns mask; NONE items
    /// have a null class) as mask annotations; <paramref name="labelIds"/> maps class_index → label id.
    /// </summary>
    public static IEnumerable<MdaiImportAnnotation> FromOutputs(
        IEnumerable<(string Study, string? Series, string? Instance, int? Frame, int? ClassIndex, int Rows, int Columns, byte[]? Mask)> outputs,
        IReadOnlyDictionary<int, string> labelIds,
        ICollection<string> warnings,
        CancellationToken ct)
    {
        var unmapped = new SortedSet<int>();
        foreach (var o in outputs)
        {
            ct.ThrowIfCancellationRequested();
            if (o.ClassIndex is not { } classIndex || o.Mask is null)
            {
                continue;
            }

            if (!labelIds.TryGetValue(classIndex, out var labelId))
            {
                if (unmapped.Add(classIndex))
                {
                    warnings.Add($"Class {classIndex} has no MD.ai label id, so its masks were left out; map it to the project's label (L_…).");
                }

                continue;
            }

            var plane = new MaskPlane(o.Columns, o.Rows, o.Mask);
            var pixels = plane.Count();
            if (pixels == 0)
            {
                continue;
            }

            var (foreground, background) = ExactMaskContours.FromMask(plane);
            yield return new MdaiImportAnnotation(labelId, o.Study, o.Series, o.Instance, o.Frame, new MdaiMaskData(Points(foreground), Points(background)))
            {
                SourceClass = classIndex,
                Pixels = pixels,
            };
        }
    }

    /// <summary>Writes the items as one JSON array (atomically: a temporary file, then renamed).</summary>
    public static int Write(IEnumerable<MdaiImportAnnotation> annotations, string path)
    {
        var count = 0;
        try
        {
            AtomicFile.Write(path, file =>
            {
                using var writer = new Utf8JsonWriter(file);
                writer.WriteStartArray();
                foreach (var annotation in annotations)
                {
                    annotation.WriteTo(writer);
                    writer.Flush();
                    count++;
                }

                writer.WriteEndArray();
            }, createFolder: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot write {path}: {ex.Message.TrimEnd('.')}.", ErrorIds.MdaiAnnotationConversionFailed, ErrorKind.WriteError, path, ex);
        }

        return count;
    }

    private static IEnumerable<MdaiImportAnnotation> Classification(InferenceResult result, DicomSeriesGeometry geometry, IReadOnlyDictionary<int, string> labelIds, ICollection<string> warnings, double threshold)
    {
        // A classifier that decided from raw scores (AsDiscrete with no activation before it) has no probabilities:
        // its decided classes are the annotations, as MONAI's own output names them.
        var chosen = result.Probabilities.Count == 0 && result.Decided.Count > 0
            ? result.Decided.Select(d => (d.Index, d.Name, Probability: (double?)null)).ToList()
            : result.Sigmoid
                ? result.Probabilities.Where(p => p.Probability >= threshold).Select(p => (p.Index, p.Name, Probability: (double?)p.Probability)).ToList()
                : result.Probabilities.Count == 0 ? [] : [result.Probabilities.MaxBy(p => p.Probability) is { } best ? (best.Index, best.Name, (double?)best.Probability) : default];
        var sop = geometry.Slices.Count == 1 ? geometry.Slices[0].SopInstanceUid : null;
        foreach (var p in chosen)
        {
            if (!labelIds.TryGetValue(p.Index, out var labelId))
            {
                warnings.Add($"Class {p.Index} ({p.Name}) was predicted but has no MD.ai label id; it was left out.");
                continue;
            }

            yield return new MdaiImportAnnotation(labelId, geometry.StudyInstanceUid, geometry.SeriesInstanceUid, sop, null, null)
            {
                Note = p.Probability is { } probability ? FormattableString.Invariant($"{result.Model}: {p.Name} {probability:0.####}") : $"{result.Model}: {p.Name} (decided by the postprocessing)",
                SourceClass = p.Index,
            };
        }
    }

    /// <summary>
    /// The builder's default mapping gives each label value its own class (class index = value − 1), so no two labels
    /// share a mask; this turns it back into the label value.
    /// </summary>
    private static IEnumerable<(string, string?, string?, int?, int?, int, int, byte[]?)> ByLabelValue(IEnumerable<MdaiInstanceOutput> outputs) =>
        outputs.Select(o => (o.StudyUid, (string?)o.SeriesUid, (string?)o.InstanceUid, o.FrameNumber, o.ClassIndex + 1, o.Rows, o.Columns, o.Mask));

    private static List<IReadOnlyList<MdaiPoint>> Points(List<(int X, int Y)[]> polygons) =>
        polygons.Select(p => (IReadOnlyList<MdaiPoint>)p.Select(v => new MdaiPoint(v.X, v.Y)).ToList()).ToList();
}
