using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

/// <summary>samples/phantom/mdai_annotations.json (make_mdai_export.py, from the truth by OpenCV) on the phantom's DICOM series.</summary>
public sealed class PhantomAnnotationTests
{
    private static string Phantom => Path.Combine(TestPaths.RepoRoot, "samples", "phantom");

    [Fact]
    public void The_phantom_export_on_its_DICOM_series_is_the_phantom_truth_voxel_for_voxel()
    {
        var series = DicomSeriesAssembler.Assemble(DicomSeriesAssembler.Scan(Directory.GetFiles(Path.Combine(Phantom, "dicom"))).Series.Single());
        var export = MdaiAnnotationExport.Read(Path.Combine(Phantom, "mdai_annotations.json"), CancellationToken.None);

        var result = AnnotationRasterizer.ToLabelVolume(export, series, new Dictionary<string, int> { ["Organ"] = 1, ["Lesion"] = 2 }, CancellationToken.None);

        Assert.Empty(result.Warnings);
        var truth = NiftiReader.Read(Path.Combine(Phantom, "phantom_truth.nii.gz"), CancellationToken.None);
        Assert.Equal(truth.Shape, result.Labels.Shape);
        Assert.True(truth.Affine.MaxAbsDifference(result.Labels.Affine) < 1e-3);
        var expected = truth.GetVoxels().Cast<object>().Select(v => System.Convert.ToByte(v)).ToArray();
        Assert.Equal(expected, result.Labels.GetVoxels<byte>());
        Assert.Equal(23, result.DrawnCount);
        Assert.Equal("Contrast: none", Assert.Single(export.GlobalLabels(series.Dicom!.StudyInstanceUid, series.Dicom.SeriesInstanceUid)).Name);
        Assert.Empty(export.GlobalLabels("1.2.3"));
    }
}
