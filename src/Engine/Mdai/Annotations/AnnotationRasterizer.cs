using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Mdai.Annotations.Raster;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// MD.ai annotations of one DICOM series as a label map on that series' own grid. Each annotation is matched to its
/// slice by SOPInstanceUID (and frameNumber for multi-frame instances), drawn into its own instance plane exactly as
/// MD.ai's client draws it (<see cref="AnnotationPainter"/>), and its pixels take the class value of its label; where
/// annotations overlap, the later one in the export wins. Nothing is dropped silently: an annotation of the series
/// whose instance is not in it, an unknown label id, a frame out of range, a global label asked for as pixels, data
/// that does not fit its label's mode, and annotations of the same study on other series are named in the warnings.
/// </summary>
public static class AnnotationRasterizer
{
    /// <param name="export">The annotation export.</param>
    /// <param name="series">The series volume (Imaging's DICOM reader), for its grid and per-slice instances.</param>
    /// <param name="labelMap">MD.ai label name (or short name, case-insensitive) or id → the class value written (1–65535).
    /// Empty: every drawable label, numbered 1, 2, … in the export's order.</param>
    /// <param name="ct">Cancels between annotations.</param>
    /// <exception cref="MdaiClaraException">MdaiAnnotationSeriesRequired (not a DICOM series), MdaiAnnotationLabelUnknown
    /// (a name or id the export lacks), MdaiAnnotationVertexInvalid.</exception>
    public static AnnotationLabelVolume ToLabelVolume(MdaiAnnotationExport export, Volume series, IReadOnlyDictionary<string, int> labelMap, CancellationToken ct)
    {
        var geometry = series.Dicom ?? throw new MdaiClaraException(
            $"{series.Source} is not a DICOM series, so MD.ai annotations (made on DICOM instances) cannot be placed on it. Read the series the annotations were drawn on from its DICOM files.",
            ErrorIds.MdaiAnnotationSeriesRequired,
            ErrorKind.InvalidArgument,
            series.Source);
        var warnings = new List<string>();
        var values = ResolveValues(export, labelMap, warnings);
        var (columns, rows, slices) = ((int)series.Shape[0], (int)series.Shape[1], (int)series.Shape[2]);
        var planeSize = (long)columns * rows;
        var maxValue = values.Count == 0 ? 0 : values.Values.Max();
        Array voxels = maxValue <= byte.MaxValue ? new byte[planeSize * slices] : new ushort[planeSize * slices];
        var sliceOf = SliceLookup(geometry);
        var plane = new MaskPlane(columns, rows);
        var drawn = 0;
        var otherSeries = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var annotation in export.Annotations)
        {
            ct.ThrowIfCancellationRequested();
            var label = export.FindLabel(annotation.LabelId);
            var inSeries = annotation.SeriesInstanceUid == geometry.SeriesInstanceUid || (annotation.SopInstanceUid is { } sop && sliceOf.ContainsKey(sop));
            if (!inSeries)
            {
                if (annotation.StudyInstanceUid == geometry.StudyInstanceUid && (label is null || values.ContainsKey(label.Id)) && annotation.SeriesInstanceUid is { } other)
                {
                    otherSeries[other] = otherSeries.GetValueOrDefault(other) + 1;
                }

                continue;
            }

            var where = $"Annotation {annotation.Id} ({export.Source} line {annotation.Line})";
            if (label is null)
            {
                warnings.Add($"{where} has label id {annotation.LabelId}, which is in none of the export's label groups; it was left out.");
                continue;
            }

            if (!values.TryGetValue(label.Id, out var value))
            {
                continue;
            }

            if (!label.IsDrawable)
            {
                warnings.Add(label.IsGlobal
                    ? $"{where} is of the global label {label}, a classification with no pixels; it is not in the label map."
                    : $"{where} is of label {label} whose annotationMode '{label.AnnotationModeText}' MdaiClara cannot draw; it was left out.");
                continue;
            }

            if (annotation.SopInstanceUid is null)
            {
                warnings.Add($"{where} of {label} names no SOPInstanceUID, so it has no image to be drawn on; it was left out.");
                continue;
            }

            if (!sliceOf.TryGetValue(annotation.SopInstanceUid, out var frames))
            {
                warnings.Add($"{where} of {label} is on instance {annotation.SopInstanceUid}, which is not in series {geometry.SeriesInstanceUid} as read ({slices} slices); it was left out.");
                continue;
            }

            if (FindSlice(frames, annotation.FrameNumber) is not { } k)
            {
                var range = frames.Count == 1 ? "a single-frame instance (frameNumber null or 0)" : $"frames 1–{frames.Count}";
                warnings.Add($"{where} of {label} has frameNumber {annotation.FrameNumber?.ToString(CultureInfo.InvariantCulture) ?? "null"} on instance {annotation.SopInstanceUid}, which has {range}; it was left out.");
                continue;
            }

            if ((annotation.Width is { } w && w != columns) || (annotation.Height is { } h && h != rows))
            {
                warnings.Add($"{where} of {label} was made on a {annotation.Width}×{annotation.Height} image, but instance {annotation.SopInstanceUid} is {columns}×{rows}; it was drawn as given, clipped to the instance.");
            }

            plane.Clear();
            if (!AnnotationPainter.Draw(plane, label.AnnotationMode, annotation.Data))
            {
                warnings.Add($"{where} of {label} ({label.AnnotationMode.ToString().ToLowerInvariant()}) carries {annotation.Data?.ToString() ?? "no data"}, which does not fit that mode; it was left out.");
                continue;
            }

            Stamp(plane, voxels, k * planeSize, value);
            drawn++;
        }

        foreach (var (other, count) in otherSeries)
        {
            warnings.Add($"{count} annotation(s) of study {geometry.StudyInstanceUid} are on series {other}, not on series {geometry.SeriesInstanceUid}; they are not in this label map (read that series to place them).");
        }

        var volume = new Volume(voxels, [columns, rows, slices], series.Affine, $"MD.ai annotations of {geometry.SeriesInstanceUid} from {export.Source}")
        {
            Modality = "SEG",
            Dicom = geometry,
        };
        return new AnnotationLabelVolume(volume, warnings) { DrawnCount = drawn, LabelValues = values };
    }

    private static Dictionary<string, int> ResolveValues(MdaiAnnotationExport export, IReadOnlyDictionary<string, int> labelMap, List<string> warnings)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        if (labelMap.Count == 0)
        {
            var n = 0;
            foreach (var label in export.Labels.Where(l => l.IsDrawable))
            {
                values[label.Id] = ++n;
            }

            return values;
        }

        foreach (var (key, value) in labelMap)
        {
            if (value is < 1 or > ushort.MaxValue)
            {
                throw new MdaiClaraException($"The class value {value} for '{key}' is outside 1–65535 (0 is background).", ErrorIds.MdaiAnnotationLabelUnknown, ErrorKind.InvalidArgument, key);
            }

            foreach (var label in export.ResolveLabel(key))
            {
                if (label.IsGlobal)
                {
                    warnings.Add($"Label {label} is a global label (a classification of the exam, series or image): it has no pixels in a label map.");
                }

                values[label.Id] = value;
            }
        }

        return values;
    }

    /// <summary>SOPInstanceUID → (frame number or null, slice index) of each of its slices.</summary>
    private static Dictionary<string, List<(int? Frame, int Slice)>> SliceLookup(DicomSeriesGeometry geometry)
    {
        var lookup = new Dictionary<string, List<(int? Frame, int Slice)>>(StringComparer.Ordinal);
        foreach (var slice in geometry.Slices)
        {
            (lookup.TryGetValue(slice.SopInstanceUid, out var list) ? list : lookup[slice.SopInstanceUid] = []).Add((slice.FrameNumber, slice.SliceIndex));
        }

        return lookup;
    }

    /// <summary>
    /// A single-frame instance takes frameNumber null or 0; a multi-frame one its frames by their DICOM number (1-based),
    /// as MdaiClara's own MD.ai outputs write them.
    /// </summary>
    private static int? FindSlice(List<(int? Frame, int Slice)> frames, int? frameNumber)
    {
        if (frames.Count == 1 && frames[0].Frame is null)
        {
            return frameNumber is null or 0 ? frames[0].Slice : null;
        }

        foreach (var (frame, slice) in frames)
        {
            if (frame == frameNumber)
            {
                return slice;
            }
        }

        return null;
    }

    private static void Stamp(MaskPlane plane, Array voxels, long offset, int value)
    {
        var pixels = plane.Pixels;
        switch (voxels)
        {
            case byte[] bytes:
                for (var i = 0; i < pixels.Length; i++)
                {
                    if (pixels[i] != 0)
                    {
                        bytes[offset + i] = (byte)value;
                    }
                }

                break;
            case ushort[] shorts:
                for (var i = 0; i < pixels.Length; i++)
                {
                    if (pixels[i] != 0)
                    {
                        shorts[offset + i] = (ushort)value;
                    }
                }

                break;
        }
    }
}
