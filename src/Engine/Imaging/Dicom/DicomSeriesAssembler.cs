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

/// <summary>A file a scan did not use: why, with the error id a caller can act on.</summary>
public sealed record DicomSkippedFile(string Path, string ErrorId, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>What a scan found: series, and the files it skipped with the reason for each.</summary>
public sealed record DicomScan(IReadOnlyList<DicomSeriesFiles> Series, IReadOnlyList<DicomSkippedFile> Skipped)
{
    /// <summary>Segmentation objects (SEG) found: label maps to read onto their source series, not images of a series.</summary>
    public IReadOnlyList<DicomInstanceHeader> Segmentations { get; init; } = Array.Empty<DicomInstanceHeader>();
}

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
        var segmentations = new ConcurrentBag<DicomInstanceHeader>();
        var skipped = new ConcurrentBag<DicomSkippedFile>();
        RethrowFirst(() => Parallel.ForEach(list, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, path =>
        {
            try
            {
                var header = DicomInstanceHeader.From(DicomFileReader.Read(path));
                if (header.SopClassUid == DicomInstanceHeader.SegmentationStorage)
                {
                    segmentations.Add(header);
                    return;
                }

                if (!header.HasPixelData)
                {
                    skipped.Add(new DicomSkippedFile(path, ErrorIds.DicomNoPixelData, $"not an image (SOP class {header.SopClassUid ?? "unknown"}, no pixel data)"));
                    return;
                }

                headers.Add(header);
            }
            catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.DicomNotDicom)
            {
                skipped.Add(new DicomSkippedFile(path, ex.ErrorId, "not a DICOM file"));
            }
            catch (MdaiClaraException ex)
            {
                skipped.Add(new DicomSkippedFile(path, ex.ErrorId, StripPath(ex.Message, path)));
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                // One unreadable file must not stop the scan of thousands.
                skipped.Add(new DicomSkippedFile(path, ErrorIds.DicomInvalid, $"cannot be read ({ex.GetType().Name}: {ex.Message.TrimEnd('.')})"));
            }
        }));

        var series = headers
            .GroupBy(h => h.SeriesInstanceUid.Length > 0 ? h.SeriesInstanceUid : "(no SeriesInstanceUID) " + h.Path)
            .Select(g => new DicomSeriesFiles(g.Key, g.First().Modality, g.OrderBy(h => h.Path, StringComparer.Ordinal).ToList()))
            .OrderBy(s => s.Instances[0].Path, StringComparer.Ordinal)
            .ToList();
        var notes = skipped.OrderBy(s => s.Path, StringComparer.Ordinal).ToList();
        foreach (var note in notes)
        {
            log.Verbose($"Skipped {note}");
        }

        return new DicomScan(series, notes) { Segmentations = segmentations.OrderBy(h => h.Path, StringComparer.Ordinal).ToList() };
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
        CheckPixelDescriptions(instances, cancellationToken);
        CheckSameFormat(series, instances);
        foreach (var inferred in instances.Where(i => i.InferredFramePositions is not null))
        {
            warnings.Add($"{inferred}: {inferred.InferredFramePositions}.");
        }

        var frames = instances.SelectMany(i => i.Frames).ToList();
        var orientation = CheckOrientation(series, frames, warnings);
        var ordered = OrderSlices(series, frames, orientation, warnings);
        var spacing = CheckPixelSpacing(series, ordered, warnings);
        var affine = BuildAffine(series, ordered, orientation, spacing, warnings);

        var slopes = ordered.Select(f => f.RescaleSlope).Distinct().ToList();
        var intercepts = ordered.Select(f => f.RescaleIntercept).Distinct().ToList();
        var output = AllocateOutput(series, ordered);
        RethrowFirst(() => Decode(ordered, output, cancellationToken));

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
                PatientId = first.PatientId,
                StudyDate = first.StudyDate,
                SeriesNumber = first.SeriesNumber,
                SeriesDescription = first.SeriesDescription,
                SopClassUid = first.SopClassUid,
                Rows = first.Rows,
                Columns = first.Columns,
                ImageOrientationPatient = orientation,
                PixelSpacing = spacing,
                Slices = references,
                PhotometricInterpretation = first.Photometric,
                RescaleSlope = slopes.Count == 1 ? slopes[0] : double.NaN,
                RescaleIntercept = intercepts.Count == 1 ? intercepts[0] : double.NaN,
            },
        };
    }

    /// <summary>
    /// Every file's pixel description (samples per pixel, bits, rows × columns × frames against what the file's length
    /// can hold for its transfer syntax) is checked before the volume is sized from the first one: a 16 KB header
    /// claiming 4096×4096×127 samples must be an error naming that file, not a multi-gigabyte allocation.
    /// </summary>
    private static void CheckPixelDescriptions(List<DicomInstanceHeader> instances, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        RethrowFirst(() => Parallel.ForEach(instances, options, instance =>
        {
            using var pixels = DicomPixelData.Open(instance.File);
        }));
    }

    private static void CheckSameFormat(DicomSeriesFiles series, List<DicomInstanceHeader> instances)
    {
        var groups = instances
            .GroupBy(i => (i.Rows, i.Columns, i.SamplesPerPixel, i.BitsAllocated, i.PixelRepresentation, PixelTag: i.File.PixelDataElement!.Tag))
            .OrderByDescending(g => g.Count())
            .ToList();
        if (groups.Count > 1)
        {
            var description = string.Join("; ", groups.Select(g =>
                $"{g.Count()} file(s) of {g.Key.Columns}×{g.Key.Rows}, {g.Key.SamplesPerPixel} sample(s), {g.Key.BitsAllocated} bits{(g.Key.PixelRepresentation == 1 ? " signed" : string.Empty)}{(g.Key.PixelTag != DicomTag.PixelData ? " float" : string.Empty)} ({Files(g)})"));
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
        var cross = Cross(row, column);
        if (Math.Sqrt(Dot(cross, cross)) < 0.5)
        {
            // Zero or (nearly) parallel direction cosines define no plane: any affine built from them would be fiction.
            throw Inconsistent(series,
                $"its ImageOrientationPatient (0020,0037) [{string.Join(", ", o.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))}] does not define a plane (the row and column directions are zero or nearly parallel). Fix the header at its source.");
        }

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

    /// <summary>All slices must share one pixel spacing: the affine has one.</summary>
    private static double[] CheckPixelSpacing(DicomSeriesFiles series, List<DicomFrameGeometry> ordered, List<string> warnings)
    {
        var groups = new List<(double[]? Spacing, List<DicomFrameGeometry> Frames)>();
        foreach (var f in ordered)
        {
            var group = groups.FirstOrDefault(g => SameSpacing(g.Spacing, f.PixelSpacing));
            if (group.Frames is null)
            {
                groups.Add((f.PixelSpacing, new List<DicomFrameGeometry> { f }));
            }
            else
            {
                group.Frames.Add(f);
            }
        }

        if (groups.Count > 1)
        {
            var description = string.Join("; ", groups.OrderByDescending(g => g.Frames.Count).Select(g =>
                $"{g.Frames.Count} slice(s) with {(g.Spacing is null ? "no PixelSpacing" : $"PixelSpacing {Format(g.Spacing)} mm")} ({Files(g.Frames.Select(f => f.Instance).Distinct())})"));
            throw Inconsistent(series, $"its slices differ in PixelSpacing (0028,0030), so no single affine fits them: {description}. Read the files of each kind separately.");
        }

        if (groups[0].Spacing is { } spacing)
        {
            if (spacing.Any(v => v <= 0))
            {
                throw Inconsistent(series, $"its PixelSpacing (0028,0030) is {Format(spacing)}; pixel spacing must be positive. Fix the header at its source.");
            }

            return spacing;
        }

        warnings.Add("The images have no PixelSpacing; 1 mm pixels were assumed.");
        return new[] { 1.0, 1.0 };
    }

    private static bool SameSpacing(double[]? a, double[]? b) =>
        a is null ? b is null : b is not null && Math.Abs(a[0] - b[0]) <= 1e-4 * Math.Max(1, Math.Abs(a[0])) && Math.Abs(a[1] - b[1]) <= 1e-4 * Math.Max(1, Math.Abs(a[1]));

    private static Affine BuildAffine(DicomSeriesFiles series, List<DicomFrameGeometry> ordered, double[] orientation, double[] spacing, List<string> warnings)
    {
        var row = orientation.Take(3).ToArray();
        var column = orientation.Skip(3).ToArray();
        var normal = Cross(row, column);
        var origin = ordered[0].Position ?? new double[3];
        double[] step;
        if (ordered.Count == 1 || ordered[0].Position is null)
        {
            var ds = ordered[0].Instance.File.Dataset;
            var given = new[] { ds.GetDouble(DicomTag.SpacingBetweenSlices), ds.GetDouble(DicomTag.SliceThickness) };
            var thickness = given.FirstOrDefault(v => v is { } t && double.IsFinite(t) && t > 0);
            if (thickness is null && (ordered.Count > 1 || given.Any(v => v is not null)))
            {
                // A lone 2D image without either attribute (CR, DX, SC) gets 1 mm by convention, as nibabel and dcm2niix do.
                warnings.Add("Neither SpacingBetweenSlices (0018,0088) nor SliceThickness (0018,0050) gives a positive slice spacing; 1 mm was assumed.");
            }

            step = normal.Select(v => v * (thickness ?? 1.0)).ToArray();
        }
        else
        {
            var positions = ordered.Select(f => f.Position!).ToList();
            var n = positions.Count;
            step = Enumerable.Range(0, 3).Select(a => (positions[n - 1][a] - positions[0][a]) / (n - 1)).ToArray();
            if (Math.Abs(Dot(step, normal)) < 1e-4)
            {
                throw Inconsistent(series,
                    $"its slices do not advance along the slice normal (they move {Math.Sqrt(Dot(step, step)):0.###} mm per slice within the image plane), so they do not stack into a volume. Check ImagePositionPatient (0020,0032) and ImageOrientationPatient (0020,0037).");
            }

            CheckSpacing(series, ordered, normal, step, warnings);
            CheckInPlane(series, ordered, normal, step, spacing, warnings);
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

    /// <summary>
    /// Every slice must lie on the line through the first and last slice: a slice shifted within its plane would put
    /// its voxels (and any mask drawn on it) in the wrong place under the one affine.
    /// </summary>
    private static void CheckInPlane(DicomSeriesFiles series, List<DicomFrameGeometry> ordered, double[] normal, double[] step, double[] spacing, List<string> warnings)
    {
        var along = Dot(step, normal);
        var origin = ordered[0].Position!;
        var pixel = Math.Min(spacing[0], spacing[1]);
        var worst = (Shift: 0.0, Frame: ordered[0]);
        foreach (var f in ordered)
        {
            var d = Enumerable.Range(0, 3).Select(a => f.Position![a] - origin[a]).ToArray();
            var t = Dot(d, normal) / along;
            var shift = Math.Sqrt(Enumerable.Range(0, 3).Sum(a => Math.Pow(d[a] - (t * step[a]), 2)));
            if (shift > worst.Shift)
            {
                worst = (shift, f);
            }
        }

        if (worst.Shift > Math.Max(0.5 * pixel, 0.01))
        {
            throw Inconsistent(series,
                $"its slices do not lie on one straight stack: {worst.Frame.Instance} is shifted {worst.Shift:0.###} mm within its plane from the line through the first and last slices ({pixel:0.###} mm pixels), so no single affine places every voxel. It may combine several series or table positions; read them separately.");
        }

        if (worst.Shift > Math.Max(0.1 * pixel, 0.01))
        {
            warnings.Add($"{worst.Frame.Instance} is shifted {worst.Shift:0.###} mm within its plane from the stack of the other slices (under half a pixel); the affine follows the first and last slices.");
        }
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

    /// <summary>
    /// The voxel type that holds every rescaled value of every slice: integers in the smallest type that fits the
    /// stored range (each file's BitsStored and signedness) plus each slice's intercept; otherwise Float32, or Float64
    /// where Float32's 24-bit mantissa would round stored values.
    /// </summary>
    private static Array AllocateOutput(DicomSeriesFiles series, List<DicomFrameGeometry> ordered)
    {
        var first = ordered[0].Instance;
        var samples = (long)first.Rows * first.Columns * first.SamplesPerPixel * ordered.Count;
        var pixelTag = first.File.PixelDataElement!.Tag;
        var min = double.MaxValue;
        var max = double.MinValue;
        var integral = true;
        var maxBits = 0;
        foreach (var f in ordered)
        {
            var i = f.Instance;
            var bits = Math.Clamp(i.BitsStored, 1, Math.Clamp(i.BitsAllocated, 1, 32));
            maxBits = Math.Max(maxBits, bits);
            var lo = i.PixelRepresentation == 1 ? -Math.Pow(2, bits - 1) : 0;
            var hi = i.PixelRepresentation == 1 ? Math.Pow(2, bits - 1) - 1 : Math.Pow(2, bits) - 1;
            var a = (lo * f.RescaleSlope) + f.RescaleIntercept;
            var b = (hi * f.RescaleSlope) + f.RescaleIntercept;
            min = Math.Min(min, Math.Min(a, b));
            max = Math.Max(max, Math.Max(a, b));
            integral &= f.RescaleSlope == 1 && f.RescaleIntercept == Math.Floor(f.RescaleIntercept);
        }

        VoxelType type;
        if (pixelTag != DicomTag.PixelData)
        {
            type = pixelTag == DicomTag.DoubleFloatPixelData ? VoxelType.Float64 : VoxelType.Float32;
        }
        else if (integral)
        {
            var byteSized = first.BitsAllocated <= 8;
            type = byteSized && min >= 0 && max <= byte.MaxValue ? VoxelType.UInt8
                : byteSized && min >= sbyte.MinValue && max <= sbyte.MaxValue ? VoxelType.Int8
                : min >= short.MinValue && max <= short.MaxValue ? VoxelType.Int16
                : min >= 0 && max <= ushort.MaxValue ? VoxelType.UInt16
                : min >= int.MinValue && max <= int.MaxValue ? VoxelType.Int32
                : VoxelType.Float64;
        }
        else
        {
            type = maxBits > 24 || Math.Max(Math.Abs(min), Math.Abs(max)) > (1 << 24) ? VoxelType.Float64 : VoxelType.Float32;
        }

        if (samples > Array.MaxLength)
        {
            throw Inconsistent(series, $"it has {samples:N0} voxels, more than one .NET array can hold. Read it in parts (e.g. by passing a subset of its files).");
        }

        // Every voxel is written by the decode that follows.
        return type.AllocateUninitialized(samples);
    }

    /// <summary>Parallel loops wrap what their bodies throw: surface the first engine error (or cancellation) as itself.</summary>
    private static void RethrowFirst(Action action)
    {
        try
        {
            action();
        }
        catch (AggregateException ex)
        {
            var inner = ex.Flatten().InnerExceptions;
            var chosen = inner.FirstOrDefault(e => e is MdaiClaraException) ?? inner.FirstOrDefault(e => e is OperationCanceledException) ?? inner[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(chosen).Throw();
        }
    }

    private static string StripPath(string message, string path) =>
        message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : message;

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

                // The usual CT encoding (unsigned 12 bits, intercept -1024 → Int16): decode into the volume, add in place.
                if (samplesPerPixel == 1 && frame.RescaleSlope == 1 && output is short[] or ushort[] && pixelData.CanHold(output.GetType().GetElementType()!))
                {
                    pixelData.DecodeFrameInto(frame.FrameIndex, output, k * sliceSamples);
                    SampleConverter.AddInPlace16(output, k * sliceSamples, (int)sliceSamples, (long)frame.RescaleIntercept);
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
