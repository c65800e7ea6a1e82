using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>The files of one series, found by <see cref="DicomSeriesAssembler.Scan"/>.</summary>
public sealed record DicomSeriesFiles(string SeriesInstanceUid, string? Modality, IReadOnlyList<DicomInstanceHeader> Instances)
{
    public override string ToString() => $"{SeriesInstanceUid} ({Modality}, {Instances.Count} files)";
}

/// <summary>What a scan found: series, and the files it skipped with the reason for each.</summary>
public sealed record DicomScan(IReadOnlyList<DicomSeriesFiles> Series, IReadOnlyList<string> Skipped);

/// <summary>
/// Turns DICOM files into volumes: one per SeriesInstanceUID. Headers are read first (pixel data untouched), slices are
/// ordered by the projection of ImagePositionPatient on the slice normal (never by file name or InstanceNumber alone),
/// gaps, uneven spacing, gantry tilt and mixed orientations are reported with the files concerned, and pixel data is
/// then decoded in parallel straight into the volume with the rescale slope/intercept applied.
/// </summary>
public static class DicomSeriesAssembler
{
    private const double OrientationTolerance = 1e-3;
    private const double UnevenWarning = 0.01;
    private const double UnevenError = 0.1;

    /// <summary>Reads the header of every file (in parallel) and groups the images by series.</summary>
    public static DicomScan Scan(IEnumerable<string> files, CancellationToken cancellationToken = default, IEngineLog? log = null)
    {
        var list = files.Distinct(StringComparer.Ordinal).ToList();
        var headers = new ConcurrentBag<DicomInstanceHeader>();
        var skipped = new ConcurrentBag<string>();
        Parallel.ForEach(list, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, path =>
        {
            try
            {
                var header = DicomInstanceHeader.From(DicomFileReader.Read(path));
                if (!header.HasPixelData)
                {
                    skipped.Add($"{path}: not an image (SOP class {header.SopClassUid ?? "unknown"}, no pixel data)");
                    return;
                }

                headers.Add(header);
            }
            catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.DicomNotDicom)
            {
                skipped.Add($"{path}: not a DICOM file");
            }
            catch (MdaiClaraException ex)
            {
                skipped.Add($"{path}: {ex.Message}");
            }
        });

        var series = headers
            .GroupBy(h => h.SeriesInstanceUid.Length > 0 ? h.SeriesInstanceUid : "(no SeriesInstanceUID) " + h.Path)
            .Select(g => new DicomSeriesFiles(g.Key, g.First().Modality, g.OrderBy(h => h.Path, StringComparer.Ordinal).ToList()))
            .OrderBy(s => s.Instances[0].Path, StringComparer.Ordinal)
            .ToList();
        var notes = skipped.OrderBy(s => s, StringComparer.Ordinal).ToList();
        foreach (var note in notes)
        {
            log.Verbose("Skipped " + note);
        }

        return new DicomScan(series, notes);
    }

    /// <summary>Builds the volume of one series.</summary>
    public static Volume Assemble(DicomSeriesFiles series, CancellationToken cancellationToken = default, IEngineLog? log = null)
    {
        var warnings = new List<string>();
        var instances = series.Instances.ToList();
        var localizers = instances.Where(i => i.IsLocalizer).ToList();
        if (localizers.Count > 0 && localizers.Count < instances.Count)
        {
            instances = instances.Except(localizers).ToList();
            warnings.Add($"Left out {localizers.Count} localizer image(s) of the series: {Files(localizers)}.");
        }

        var first = instances[0];
        CheckSameFormat(series, instances);
        var frames = instances.SelectMany(i => i.Frames).ToList();
        var orientation = CheckOrientation(series, frames, warnings);
        var ordered = OrderSlices(series, frames, orientation, warnings);
        var affine = BuildAffine(series, ordered, orientation, warnings);

        var slopes = ordered.Select(f => f.RescaleSlope).Distinct().ToList();
        var intercepts = ordered.Select(f => f.RescaleIntercept).Distinct().ToList();
        var output = AllocateOutput(first, ordered.Count, slopes, intercepts);
        Decode(ordered, output, cancellationToken);

        var references = ordered.Select((f, k) => new DicomSliceReference(
            k, f.Instance.SopInstanceUid, f.Instance.Path, f.Instance.NumberOfFrames > 1 ? f.FrameIndex + 1 : null, f.Instance.InstanceNumber, f.Position ?? new double[3])).ToList();
        var shape = first.SamplesPerPixel == 1
            ? new long[] { first.Columns, first.Rows, ordered.Count }
            : new long[] { first.Columns, first.Rows, ordered.Count, first.SamplesPerPixel };
        foreach (var w in warnings)
        {
            log.Warning($"Series {series.SeriesInstanceUid}: {w}");
        }

        return new Volume(output, shape, affine, CommonFolder(instances))
        {
            Modality = series.Modality,
            Warnings = warnings,
            Dicom = new DicomSeriesGeometry
            {
                StudyInstanceUid = first.StudyInstanceUid,
                SeriesInstanceUid = first.SeriesInstanceUid,
                FrameOfReferenceUid = first.FrameOfReferenceUid,
                SopClassUid = first.SopClassUid,
                Rows = first.Rows,
                Columns = first.Columns,
                ImageOrientationPatient = orientation,
                PixelSpacing = ordered[0].PixelSpacing ?? new[] { 1.0, 1.0 },
                Slices = references,
                PhotometricInterpretation = first.Photometric,
                RescaleSlope = slopes.Count == 1 ? slopes[0] : double.NaN,
                RescaleIntercept = intercepts.Count == 1 ? intercepts[0] : double.NaN,
            },
        };
    }

    private static void CheckSameFormat(DicomSeriesFiles series, List<DicomInstanceHeader> instances)
    {
        var groups = instances
            .GroupBy(i => (i.Rows, i.Columns, i.SamplesPerPixel, i.BitsAllocated, i.PixelRepresentation))
            .OrderByDescending(g => g.Count())
            .ToList();
        if (groups.Count > 1)
        {
            var description = string.Join("; ", groups.Select(g =>
                $"{g.Count()} file(s) of {g.Key.Columns}×{g.Key.Rows}, {g.Key.SamplesPerPixel} sample(s), {g.Key.BitsAllocated} bits{(g.Key.PixelRepresentation == 1 ? " signed" : string.Empty)} ({Files(g)})"));
            throw Inconsistent(series, $"its images differ in size or pixel format: {description}. Read the files of each kind separately.");
        }
    }

    private static double[] CheckOrientation(DicomSeriesFiles series, List<DicomFrameGeometry> frames, List<string> warnings)
    {
        var withOrientation = frames.Where(f => f.Orientation is not null).ToList();
        if (withOrientation.Count == 0)
        {
            warnings.Add("The images have no ImageOrientationPatient; an axial plane (rows along +x, columns along +y, LPS) was assumed.");
            return new[] { 1.0, 0, 0, 0, 1, 0 };
        }

        var groups = new List<(double[] Orientation, List<DicomFrameGeometry> Frames)>();
        foreach (var f in withOrientation)
        {
            var group = groups.FirstOrDefault(g => g.Orientation.Zip(f.Orientation!).All(p => Math.Abs(p.First - p.Second) <= OrientationTolerance));
            if (group.Frames is null)
            {
                groups.Add((f.Orientation!, new List<DicomFrameGeometry> { f }));
            }
            else
            {
                group.Frames.Add(f);
            }
        }

        if (groups.Count > 1)
        {
            var description = string.Join("; ", groups.OrderByDescending(g => g.Frames.Count).Select(g =>
                $"{g.Frames.Count} slice(s) with ImageOrientationPatient [{string.Join(", ", g.Orientation.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))}] ({Files(g.Frames.Select(f => f.Instance).Distinct())})"));
            throw Inconsistent(series, $"it mixes orientations, so its slices do not form one volume: {description}.");
        }

        var o = groups[0].Orientation;
        var row = Normalize(o.Take(3).ToArray());
        var column = Normalize(o.Skip(3).ToArray());
        if (Math.Abs(Dot(row, column)) > 1e-3)
        {
            warnings.Add($"ImageOrientationPatient's row and column directions are not perpendicular (cosine {Dot(row, column):0.####}); they were used as given.");
        }

        return row.Concat(column).ToArray();
    }

    private static List<DicomFrameGeometry> OrderSlices(DicomSeriesFiles series, List<DicomFrameGeometry> frames, double[] orientation, List<string> warnings)
    {
        if (frames.Count == 1)
        {
            if (frames[0].Position is null)
            {
                warnings.Add("The image has no ImagePositionPatient; its first pixel was placed at the origin.");
            }

            return frames;
        }

        var missing = frames.Where(f => f.Position is null).ToList();
        if (missing.Count > 0)
        {
            if (missing.Count < frames.Count)
            {
                throw Inconsistent(series, $"{missing.Count} of its {frames.Count} slices have no ImagePositionPatient ({Files(missing.Select(f => f.Instance).Distinct())}), so they cannot be placed.");
            }

            warnings.Add("The slices have no ImagePositionPatient; they were stacked by InstanceNumber and frame order, 1 slice apart (SpacingBetweenSlices or SliceThickness when given), which is a guess.");
            return frames.OrderBy(f => f.Instance.InstanceNumber ?? int.MaxValue).ThenBy(f => f.Instance.Path, StringComparer.Ordinal).ThenBy(f => f.FrameIndex).ToList();
        }

        var normal = Cross(orientation.Take(3).ToArray(), orientation.Skip(3).ToArray());
        var ordered = frames.OrderBy(f => Dot(f.Position!, normal)).ThenBy(f => f.Instance.InstanceNumber ?? 0).ToList();
        for (var k = 1; k < ordered.Count; k++)
        {
            if (Distance(ordered[k].Position!, ordered[k - 1].Position!) < 1e-4)
            {
                var same = ordered.Where(f => Distance(f.Position!, ordered[k].Position!) < 1e-4).Select(f => f.Instance).Distinct().ToList();
                throw Inconsistent(series, $"{same.Count} slices lie at the same position ({Format(ordered[k].Position!)} mm: {Files(same)}); it may hold several acquisitions or time points. Read them separately.");
            }
        }

        return ordered;
    }

    private static Affine BuildAffine(DicomSeriesFiles series, List<DicomFrameGeometry> ordered, double[] orientation, List<string> warnings)
    {
        var row = orientation.Take(3).ToArray();
        var column = orientation.Skip(3).ToArray();
        var normal = Cross(row, column);
        var spacing = ordered[0].PixelSpacing;
        if (spacing is null)
        {
            warnings.Add("The images have no PixelSpacing; 1 mm pixels were assumed.");
            spacing = new[] { 1.0, 1.0 };
        }

        var origin = ordered[0].Position ?? new double[3];
        double[] step;
        if (ordered.Count == 1 || ordered[0].Position is null)
        {
            var ds = ordered[0].Instance.File.Dataset;
            var thickness = ds.GetDouble(DicomTag.SpacingBetweenSlices) ?? ds.GetDouble(DicomTag.SliceThickness) ?? 1.0;
            step = normal.Select(v => v * Math.Abs(thickness)).ToArray();
        }
        else
        {
            var positions = ordered.Select(f => f.Position!).ToList();
            var n = positions.Count;
            step = Enumerable.Range(0, 3).Select(a => (positions[n - 1][a] - positions[0][a]) / (n - 1)).ToArray();
            CheckSpacing(series, ordered, normal, step, warnings);
            var tilt = Math.Acos(Math.Clamp(Math.Abs(Dot(Normalize(step), normal)), 0, 1)) * 180 / Math.PI;
            if (tilt > 0.1)
            {
                warnings.Add($"The slices are stacked at {tilt:0.##}° from the slice normal (gantry tilt{(ordered[0].Instance.GantryTilt is { } g && g != 0 ? $" {g:0.##}°" : string.Empty)}): the affine keeps every slice's true position, so the grid is sheared.");
            }
        }

        // Voxel (i = column, j = row, k = slice) → LPS, then LPS → RAS.
        var lps = Affine.FromColumns(
            row.Select(v => v * spacing[1]).ToArray(),
            column.Select(v => v * spacing[0]).ToArray(),
            step,
            origin);
        return Affine.LpsToRas * lps;
    }

    private static void CheckSpacing(DicomSeriesFiles series, List<DicomFrameGeometry> ordered, double[] normal, double[] step, List<string> warnings)
    {
        var distances = ordered.Select(f => Dot(f.Position!, normal)).ToList();
        var gaps = Enumerable.Range(1, distances.Count - 1).Select(k => distances[k] - distances[k - 1]).ToList();
        var median = gaps.OrderBy(g => g).ElementAt(gaps.Count / 2);
        var problems = new List<string>();
        var worst = 0.0;
        for (var k = 0; k < gaps.Count; k++)
        {
            var deviation = Math.Abs(gaps[k] - median) / median;
            worst = Math.Max(worst, deviation);
            if (deviation > UnevenError)
            {
                var missing = Math.Round(gaps[k] / median) - 1;
                problems.Add(missing >= 1 && Math.Abs(gaps[k] - ((missing + 1) * median)) <= UnevenError * median
                    ? $"about {missing:0} slice(s) missing between {ordered[k].Instance} and {ordered[k + 1].Instance} ({gaps[k]:0.###} mm apart, {median:0.###} mm elsewhere)"
                    : $"{ordered[k].Instance} and {ordered[k + 1].Instance} are {gaps[k]:0.###} mm apart, {median:0.###} mm elsewhere");
            }
        }

        if (problems.Count > 0)
        {
            throw Inconsistent(series, $"its slices are not evenly spaced, so no single affine places them all: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $"; and {problems.Count - 5} more" : string.Empty)}.");
        }

        if (worst > UnevenWarning)
        {
            warnings.Add($"The slice spacing varies by up to {worst:P1} around {median:0.###} mm; the affine uses the mean step, so slices may be off by up to {worst * median:0.###} mm.");
        }
    }

    private static Array AllocateOutput(DicomInstanceHeader first, int slices, List<double> slopes, List<double> intercepts)
    {
        var samples = (long)first.Rows * first.Columns * first.SamplesPerPixel * slices;
        var isFloat = first.File.PixelDataElement!.Tag != DicomTag.PixelData;
        var bits = first.BitsAllocated;
        var signed = first.PixelRepresentation == 1;
        VoxelType type;
        if (isFloat)
        {
            type = first.File.PixelDataElement.Tag == DicomTag.DoubleFloatPixelData ? VoxelType.Float64 : VoxelType.Float32;
        }
        else if (slopes.Count == 1 && slopes[0] == 1 && intercepts.Count == 1 && intercepts[0] == Math.Floor(intercepts[0]))
        {
            // Integral rescale: keep integers, in the smallest type that holds every value.
            var storedBits = Math.Clamp(first.BitsStored, 1, 32);
            var min = signed ? -Math.Pow(2, storedBits - 1) : 0;
            var max = signed ? Math.Pow(2, storedBits - 1) - 1 : Math.Pow(2, storedBits) - 1;
            min += intercepts[0];
            max += intercepts[0];
            type = intercepts[0] == 0 && bits <= 8 ? (signed ? VoxelType.Int8 : VoxelType.UInt8)
                : min >= short.MinValue && max <= short.MaxValue ? VoxelType.Int16
                : min >= 0 && max <= ushort.MaxValue ? VoxelType.UInt16
                : min >= int.MinValue && max <= int.MaxValue ? VoxelType.Int32
                : VoxelType.Float64;
        }
        else
        {
            type = VoxelType.Float32;
        }

        if (samples > Array.MaxLength)
        {
            throw new MdaiClaraException(
                $"The series {first.SeriesInstanceUid} has {samples:N0} voxels, more than one .NET array can hold.",
                ErrorIds.DicomSeriesInconsistent, ErrorKind.InvalidData, first.SeriesInstanceUid);
        }

        // Every voxel is written by the decode that follows.
        return type.AllocateUninitialized(samples);
    }

    private static void Decode(List<DicomFrameGeometry> ordered, Array output, CancellationToken cancellationToken)
    {
        var first = ordered[0].Instance;
        var sliceSamples = (long)first.Rows * first.Columns * first.SamplesPerPixel;
        var pixels = (long)first.Rows * first.Columns;
        var samplesPerPixel = first.SamplesPerPixel;
        var slices = ordered.Count;
        var byFile = ordered.Select((f, k) => (Frame: f, Slice: k)).GroupBy(x => x.Frame.Instance).ToList();
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };

        // One scratch frame per worker thread (only needed when values must be converted), reused across files.
        Parallel.ForEach(byFile, options, () => (Array?)null, (group, _, scratch) =>
        {
            using var pixelData = DicomPixelData.Open(group.Key.File);
            foreach (var (frame, k) in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var direct = samplesPerPixel == 1 && output.GetType().GetElementType() == pixelData.SampleType && frame.RescaleSlope == 1 && frame.RescaleIntercept == 0;
                if (direct)
                {
                    pixelData.DecodeFrameInto(frame.FrameIndex, output, k * sliceSamples);
                    continue;
                }

                if (scratch is null || scratch.GetType().GetElementType() != pixelData.SampleType || scratch.LongLength != sliceSamples)
                {
                    scratch = Array.CreateInstance(pixelData.SampleType, sliceSamples);
                }

                pixelData.DecodeFrameInto(frame.FrameIndex, scratch, 0);
                SampleConverter.Convert(scratch, output, k * pixels, samplesPerPixel, pixels * slices, frame.RescaleSlope, frame.RescaleIntercept);
            }

            return scratch;
        }, _ => { });
    }

    private static MdaiClaraException Inconsistent(DicomSeriesFiles series, string what) =>
        new($"The DICOM series {series.SeriesInstanceUid} cannot be read as one volume: {what}", ErrorIds.DicomSeriesInconsistent, ErrorKind.InvalidData, series.SeriesInstanceUid);

    private static string Files(IEnumerable<DicomInstanceHeader> instances)
    {
        var list = instances.Select(i => i.Path).ToList();
        return string.Join(", ", list.Take(4)) + (list.Count > 4 ? $" and {list.Count - 4} more" : string.Empty);
    }

    private static string CommonFolder(List<DicomInstanceHeader> instances)
    {
        var folders = instances.Select(i => System.IO.Path.GetDirectoryName(i.Path) ?? string.Empty).Distinct().ToList();
        return folders.Count == 1 ? folders[0] : instances[0].Path;
    }

    private static double Dot(double[] a, double[] b) => (a[0] * b[0]) + (a[1] * b[1]) + (a[2] * b[2]);

    private static double[] Cross(double[] a, double[] b) => new[] { (a[1] * b[2]) - (a[2] * b[1]), (a[2] * b[0]) - (a[0] * b[2]), (a[0] * b[1]) - (a[1] * b[0]) };

    private static double[] Normalize(double[] v)
    {
        var n = Math.Sqrt(Dot(v, v));
        return n == 0 ? v : v.Select(x => x / n).ToArray();
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(Enumerable.Range(0, 3).Sum(i => (a[i] - b[i]) * (a[i] - b[i])));

    private static string Format(double[] p) => string.Join(", ", p.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)));
}
