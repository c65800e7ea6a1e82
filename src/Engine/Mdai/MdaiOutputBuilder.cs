using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// MD.ai's per-instance output list (what a model's predict returns, mdai-contract §4.3/§4.4) from a result: for a
/// segmentation one ANNOTATION per (instance, label) with the instance's rows × columns mask, NONE for instances with
/// nothing; for a classifier the probabilities. Labels reach instances by position: each instance pixel's world point
/// (from the instance's own position) goes through the label volume's affine to its nearest voxel, with the same rule as the generated
/// mdai_deploy.py (floor(x + 0.5 + 1e-6), outside the volume = background), so both give the same masks.
/// </summary>
public static class MdaiOutputBuilder
{
    /// <summary>How close (mm) a label map's affine must be to the series' to count as its grid (mdai_clara_dicom.SAME_GRID_MM).</summary>
    public const double SameGridMm = 1e-3;

    /// <summary>The outputs of a segmentation whose input was a DICOM series (<paramref name="series"/> carries its geometry).</summary>
    /// <param name="label">The label map, on any grid (the series grid when it came from Invoke-ClaraInference).</param>
    /// <param name="series">The input series as a volume (Import-MedicalImage), for its instances and their positions.</param>
    /// <param name="labelToClassIndex">Label value → class_index; null: label − 1. Labels without an entry are left out.</param>
    public static JsonArray Segmentation(Volume label, Volume series, IReadOnlyDictionary<int, int>? labelToClassIndex = null) =>
        Segmentation(
            label,
            series.Dicom ?? throw new MdaiClaraException($"{series.Source} is not a DICOM series, so there are no instances to give MD.ai results for.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, series.Source),
            series.Shape,
            series.Affine,
            labelToClassIndex);

    /// <summary>The same, from the series' DICOM geometry and its grid (shape and affine) without its voxels.</summary>
    public static JsonArray Segmentation(Volume label, DicomSeriesGeometry geometry, IReadOnlyList<long> seriesShape, Affine seriesAffine, IReadOnlyDictionary<int, int>? labelToClassIndex = null) =>
        new(SegmentationOutputs(label, geometry, seriesShape, seriesAffine, labelToClassIndex).Select(o => o.ToJson()).ToArray<JsonNode?>());

    /// <summary>
    /// The outputs one at a time, masks a byte a pixel, so a caller that writes or emits them as they come holds one
    /// output, not the series'.
    /// </summary>
    public static IEnumerable<MdaiInstanceOutput> SegmentationOutputs(Volume label, DicomSeriesGeometry geometry, IReadOnlyList<long> seriesShape, Affine seriesAffine, IReadOnlyDictionary<int, int>? labelToClassIndex = null)
    {
        static long Dim(IReadOnlyList<long> shape, int axis) => axis < shape.Count ? shape[axis] : 1;
        var columns = (int)Dim(seriesShape, 0);
        var rows = (int)Dim(seriesShape, 1);
        if (label.Shape.Skip(3).Any(n => n != 1))
        {
            throw new MdaiClaraException($"{label.Source} has shape {string.Join("x", label.Shape)}; a label map (one value per voxel) was expected. Does the MMAR's post-processing end with argmax (AsDiscreted)?", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, label.Source);
        }

        var labels = Labels(label);
        // On the series' own grid (as the generated code decides: same shape, affine within float32 sform rounding)
        // instance k is voxel plane k, as the model saw it.
        var sameGrid = Enumerable.Range(0, 3).All(a => Dim(label.Shape, a) == Dim(seriesShape, a)) && label.Affine.MaxAbsDifference(seriesAffine) < SameGridMm;
        // Each instance's pixels are placed from its own ImagePositionPatient (as the generated mdai_deploy.py does), so
        // slightly uneven stacks still map exactly; RAS = diag(−1, −1, 1) · LPS.
        var toLabel = label.Affine.Inverse();
        var rowDirection = geometry.ImageOrientationPatient.Take(3).ToArray();
        var columnDirection = geometry.ImageOrientationPatient.Skip(3).Take(3).ToArray();
        var (rowStep, columnStep) = (geometry.PixelSpacing[1], geometry.PixelSpacing[0]);
        var (lx, ly, lz) = (Dim(label.Shape, 0), Dim(label.Shape, 1), Dim(label.Shape, 2));
        var plane = new int[rows * columns];
        foreach (var slice in geometry.Slices)
        {
            var k = slice.SliceIndex;
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    long index;
                    if (sameGrid)
                    {
                        index = c + (lx * (r + (ly * (long)k)));
                    }
                    else
                    {
                        var origin = slice.ImagePositionPatient;
                        var x = origin[0] + (c * rowStep * rowDirection[0]) + (r * columnStep * columnDirection[0]);
                        var y = origin[1] + (c * rowStep * rowDirection[1]) + (r * columnStep * columnDirection[1]);
                        var zw = origin[2] + (c * rowStep * rowDirection[2]) + (r * columnStep * columnDirection[2]);
                        var p = toLabel.Transform(-x, -y, zw);
                        var (i, j, z) = (Nearest(p[0]), Nearest(p[1]), Nearest(p[2]));
                        index = i < 0 || j < 0 || z < 0 || i >= lx || j >= ly || z >= lz ? -1 : i + (lx * (j + (ly * z)));
                    }

                    plane[(r * columns) + c] = index < 0 ? 0 : labels(index);
                }
            }

            // One ANNOTATION per class, classes ascending; labels sharing a class share one mask (as mdai_deploy.py).
            var byClass = new SortedDictionary<int, List<int>>();
            var present = new SortedSet<int>();
            var last = 0;
            foreach (var v in plane)
            {
                // Runs of one label are the rule; the set is only touched when the label changes.
                if (v > 0 && v != last)
                {
                    present.Add(v);
                }

                last = v;
            }

            foreach (var value in present)
            {
                var classIndex = labelToClassIndex is null ? value - 1 : labelToClassIndex.TryGetValue(value, out var mapped) ? mapped : (int?)null;
                if (classIndex is { } index)
                {
                    (byClass.TryGetValue(index, out var values) ? values : byClass[index] = []).Add(value);
                }
            }

            foreach (var (classIndex, values) in byClass)
            {
                var single = values.Count == 1 ? values[0] : -1;
                var mask = new byte[rows * columns];
                for (var n = 0; n < mask.Length; n++)
                {
                    var v = plane[n];
                    mask[n] = (byte)(v == single || (single < 0 && values.Contains(v)) ? 1 : 0);
                }

                yield return new MdaiInstanceOutput(geometry.StudyInstanceUid, geometry.SeriesInstanceUid, slice.SopInstanceUid, slice.FrameNumber, classIndex, rows, columns, mask);
            }

            if (byClass.Count == 0)
            {
                yield return new MdaiInstanceOutput(geometry.StudyInstanceUid, geometry.SeriesInstanceUid, slice.SopInstanceUid, slice.FrameNumber, null, rows, columns, null);
            }
        }
    }

    /// <summary>
    /// The outputs of a classifier on one DICOM image: multi-label (sigmoid) → one ANNOTATION per class at or over the
    /// threshold with its probability, NONE when none is; single-label → one ANNOTATION for the most probable class
    /// with every class's probability.
    /// </summary>
    public static JsonArray Classification(IReadOnlyList<(int Index, double Probability)> probabilities, DicomSeriesGeometry geometry, bool multiLabel, double threshold = 0.5)
    {
        var instance = geometry.Slices[0];
        JsonObject Output(string type) => new()
        {
            ["type"] = type,
            ["study_uid"] = geometry.StudyInstanceUid,
            ["series_uid"] = geometry.SeriesInstanceUid,
            ["instance_uid"] = instance.SopInstanceUid,
        };

        var outputs = new JsonArray();
        if (multiLabel)
        {
            foreach (var p in probabilities.Where(p => p.Probability >= threshold))
            {
                var annotation = Output("ANNOTATION");
                annotation["class_index"] = p.Index;
                annotation["probability"] = PythonFloat(p.Probability);
                outputs.Add(annotation);
            }

            if (outputs.Count == 0)
            {
                outputs.Add(Output("NONE"));
            }

            return outputs;
        }

        var best = probabilities.MaxBy(p => p.Probability)!;
        var single = Output("ANNOTATION");
        single["class_index"] = best.Index;
        single["probability"] = new JsonArray(probabilities.Select(p => (JsonNode)new JsonObject { ["class_index"] = p.Index, ["probability"] = PythonFloat(p.Probability) }).ToArray());
        outputs.Add(single);
        return outputs;
    }

    /// <summary>
    /// A classifier that decided its classes without probabilities (AsDiscrete on raw scores): one ANNOTATION per
    /// decided class with probability None, which MD.ai's output contract allows, or NONE when none was decided.
    /// </summary>
    public static JsonArray DecidedClasses(IReadOnlyList<int> classes, DicomSeriesGeometry geometry)
    {
        var instance = geometry.Slices[0];
        var outputs = new JsonArray();
        foreach (var index in classes.DefaultIfEmpty(-1))
        {
            var output = new JsonObject
            {
                ["type"] = index < 0 ? "NONE" : "ANNOTATION",
                ["study_uid"] = geometry.StudyInstanceUid,
                ["series_uid"] = geometry.SeriesInstanceUid,
                ["instance_uid"] = instance.SopInstanceUid,
            };
            if (index >= 0)
            {
                output["class_index"] = index;
                output["probability"] = null;
            }

            outputs.Add(output);
        }

        return outputs;
    }

    /// <summary>
    /// A probability as Python's float: a whole number (a saturated 1.0, or 0.0) is written with its ".0", which a
    /// double would lose ("1", an int to MD.ai's type check); a decimal of scale 1 keeps it.
    /// </summary>
    private static JsonNode PythonFloat(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((decimal)value + 0.0m) : JsonValue.Create(value);

    /// <summary>The rule the generated mdai_deploy.py uses too: halves go up, and a hair of slack against rounding noise.</summary>
    private static long Nearest(double x) => (long)Math.Floor(x + 0.5 + 1e-6);

    /// <summary>The label at a voxel index, read from the volume's own array (no whole-volume copy).</summary>
    /// <remarks>Float labels must be whole numbers (within 1e-3, as the generated code checks): probabilities are refused, not rounded.</remarks>
    private static Func<long, int> Labels(Volume label) => label.GetVoxels() switch
    {
        byte[] a => i => a[i],
        short[] a => i => a[i],
        ushort[] a => i => a[i],
        int[] a => i => a[i],
        float[] a when Whole(a.Select(v => (double)v), label) => i => (int)Math.Floor(a[i] + 0.5f),
        double[] a when Whole(a, label) => i => (int)Math.Floor(a[i] + 0.5),
        var other => throw new MdaiClaraException($"A label map of {other.GetType().GetElementType()!.Name} voxels cannot become MD.ai masks.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, label.Source),
    };

    private static bool Whole(IEnumerable<double> values, Volume label) =>
        values.All(v => Math.Abs(v - Math.Round(v)) < 1e-3) ? true : throw new MdaiClaraException(
            $"{label.Source} holds fractional values (e.g. probabilities), not labels. Does the MMAR's post-processing end with argmax (AsDiscreted)?",
            ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, label.Source);
}
