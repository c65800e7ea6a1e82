using System.Linq;
using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

/// <summary>A synthetic 16 × 12 × 3 DICOM series matching tests/fixtures/annotations/export_small.json.</summary>
internal static class AnnotationTestSeries
{
    public const string Study = "1.2.826.0.1.3680043.8.498.1";
    public const string Series = "1.2.826.0.1.3680043.8.498.1.1";

    public static string Sop(int n) => $"{Series}.{n}";

    public static Volume Create(int columns = 16, int rows = 12, int slices = 3) =>
        new(new short[columns * rows * slices], [columns, rows, slices], Affine.Diagonal(-0.8, -0.8, 2.5), "synthetic series")
        {
            Modality = "CT",
            Dicom = new DicomSeriesGeometry
            {
                StudyInstanceUid = Study,
                SeriesInstanceUid = Series,
                Rows = rows,
                Columns = columns,
                ImageOrientationPatient = [1, 0, 0, 0, 1, 0],
                PixelSpacing = [0.8, 0.8],
                Slices = Enumerable.Range(0, slices).Select(k => new DicomSliceReference(k, Sop(k + 1), null, null, k + 1, [0, 0, 2.5 * k])).ToList(),
            },
        };
}
