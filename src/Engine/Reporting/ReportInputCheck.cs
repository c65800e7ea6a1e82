using System;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Reporting;

/// <summary>Refuses a report whose overlay volumes cannot be drawn: not 3-D, or image, truth and prediction not on one grid.</summary>
internal static class ReportInputCheck
{
    private const double AffineTolerance = 1e-3;

    public static void Check(ValidationReport report)
    {
        foreach (var c in report.Cases)
        {
            if (c.Images is not { } images)
            {
                continue;
            }

            var shape = images.Image.Shape.Take(3).ToArray();
            Same(c.CaseId, "ground truth", images.Image, images.Truth, shape);
            Same(c.CaseId, "prediction", images.Image, images.Prediction, shape);
        }
    }

    private static void Same(string caseId, string what, Volume image, Volume labels, long[] shape)
    {
        if (labels.Shape.Count > 3 && labels.Shape.Skip(3).Any(s => s != 1))
        {
            throw Invalid(caseId, $"its {what} has shape [{string.Join(", ", labels.Shape)}]; a label map has one value per voxel.");
        }

        var labelShape = labels.Shape.Take(3).ToArray();
        if (!labelShape.SequenceEqual(shape))
        {
            throw Invalid(caseId, $"its {what} has shape [{string.Join(", ", labelShape)}] but the image has [{string.Join(", ", shape)}]; resample the {what} onto the image's grid first.");
        }

        var a = image.Affine.ToArray();
        var b = labels.Affine.ToArray();
        if (Enumerable.Range(0, 16).Any(i => Math.Abs(a[i] - b[i]) > AffineTolerance))
        {
            throw Invalid(caseId, $"its {what}'s affine differs from the image's (image {Format(a)}, {what} {Format(b)}); resample the {what} onto the image's grid first.");
        }
    }

    private static string Format(double[] m) => "[" + string.Join(", ", m.Take(12).Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + "]";

    private static MdaiClaraException Invalid(string caseId, string what) =>
        new($"The validation report cannot draw case '{caseId}': {what}", ErrorIds.ReportInputInvalid, ErrorKind.InvalidArgument, caseId);
}
