using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>MD.ai output lists from label maps: every mask on its instance, at the pixels the DICOM geometry says.</summary>
public class MdaiOutputBuilderTests
{
    private static Volume Series(string name) =>
        DicomSeriesAssembler.Assemble(DicomSeriesAssembler.Scan(Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "series", name))).Series.Single());

    [Theory]
    [InlineData("axial_hfs")]
    [InlineData("axial_ffs")]
    [InlineData("coronal")]
    [InlineData("oblique")]
    public void ALabelMapOnTheSeriesGridGivesEachInstanceItsSlice(string name)
    {
        var series = Series(name);
        var (cols, rows, slices) = ((int)series.Shape[0], (int)series.Shape[1], (int)series.Shape[2]);
        var voxels = new byte[cols * rows * slices];
        for (var k = 0; k < slices; k++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < cols; c++)
                {
                    // Asymmetric in every axis; slice 1 stays empty.
                    voxels[c + (cols * (r + (rows * k)))] = (byte)(k == 1 ? 0 : c > 7 && r < 3 ? 1 : c < 2 && r >= 7 - (k % 3) ? 2 : 0);
                }
            }
        }

        var label = new Volume(voxels, series.Shape.ToArray(), series.Affine, "label") { Dicom = series.Dicom };

        var outputs = MdaiOutputBuilder.Segmentation(label, series);

        var geometry = series.Dicom!;
        var index = 0;
        foreach (var slice in geometry.Slices)
        {
            var k = slice.SliceIndex;
            var expected = Enumerable.Range(1, 2).Where(v => Enumerable.Range(0, rows).Any(r => Enumerable.Range(0, cols).Any(c => voxels[c + (cols * (r + (rows * k)))] == v))).ToList();
            if (expected.Count == 0)
            {
                var none = outputs[index++]!;
                Assert.Equal("NONE", none["type"]!.GetValue<string>());
                Assert.Equal(slice.SopInstanceUid, none["instance_uid"]!.GetValue<string>());
                continue;
            }

            foreach (var value in expected)
            {
                var output = outputs[index++]!;
                Assert.Equal("ANNOTATION", output["type"]!.GetValue<string>());
                Assert.Equal(geometry.StudyInstanceUid, output["study_uid"]!.GetValue<string>());
                Assert.Equal(geometry.SeriesInstanceUid, output["series_uid"]!.GetValue<string>());
                Assert.Equal(slice.SopInstanceUid, output["instance_uid"]!.GetValue<string>());
                Assert.Equal(value - 1, output["class_index"]!.GetValue<int>());
                var mask = output["data"]!["mask"]!.AsArray();
                Assert.Equal(rows, mask.Count);
                for (var r = 0; r < rows; r++)
                {
                    var row = mask[r]!.AsArray();
                    Assert.Equal(cols, row.Count);
                    for (var c = 0; c < cols; c++)
                    {
                        Assert.Equal(voxels[c + (cols * (r + (rows * k)))] == value ? 1 : 0, row[c]!.GetValue<int>());
                    }
                }
            }
        }

        Assert.Equal(index, outputs.Count);
    }

    [Theory]
    [InlineData("axial_ffs")]
    [InlineData("sagittal")]
    [InlineData("oblique")]
    public void ALabelMapOnAnotherGridIsSampledAtEachInstancePixelsWorldPoint(string name)
    {
        var series = Series(name);
        var geometry = series.Dicom!;

        // A 1 mm RAS grid around the series, labels defined there; the expectation below goes pixel by pixel from each
        // instance's own ImagePositionPatient, not through the series affine.
        var corner = series.Affine.Transform(0, 0, 0);
        var labelAffine = Affine.FromColumns(new[] { 1.0, 0, 0 }, new[] { 0.0, 1, 0 }, new[] { 0.0, 0, 1 }, corner.Select(v => v - 20).ToArray());
        long[] shape = { 60, 60, 60 };
        var voxels = new byte[shape[0] * shape[1] * shape[2]];
        for (var z = 0; z < shape[2]; z++)
        {
            for (var y = 0; y < shape[1]; y++)
            {
                for (var x = 0; x < shape[0]; x++)
                {
                    voxels[x + (shape[0] * (y + (shape[1] * z)))] = (byte)(x + (2 * y) > 48 + z ? 1 : (x - 20) * (x - 20) + (y - 24) * (y - 24) < 16 ? 2 : 0);
                }
            }
        }

        var label = new Volume(voxels, shape, labelAffine, "label");

        var outputs = MdaiOutputBuilder.Segmentation(label, series);

        var toLabel = labelAffine.Inverse();
        var row = geometry.ImageOrientationPatient.Take(3).ToArray();
        var column = geometry.ImageOrientationPatient.Skip(3).ToArray();
        var byInstance = outputs.Where(o => o!["type"]!.GetValue<string>() == "ANNOTATION").GroupBy(o => o!["instance_uid"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.ToList());
        var checkedPixels = 0;
        foreach (var slice in geometry.Slices)
        {
            for (var r = 0; r < geometry.Rows; r++)
            {
                for (var c = 0; c < geometry.Columns; c++)
                {
                    var lps = Enumerable.Range(0, 3).Select(a => slice.ImagePositionPatient[a] + (c * geometry.PixelSpacing[1] * row[a]) + (r * geometry.PixelSpacing[0] * column[a])).ToArray();
                    var p = toLabel.Transform(-lps[0], -lps[1], lps[2]);
                    var ijk = p.Select(v => (long)Math.Floor(v + 0.5 + 1e-6)).ToArray();
                    var inside = ijk.Zip(shape).All(q => q.First >= 0 && q.First < q.Second);
                    var expected = inside ? voxels[ijk[0] + (shape[0] * (ijk[1] + (shape[1] * ijk[2])))] : 0;
                    var got = byInstance.TryGetValue(slice.SopInstanceUid, out var annotations)
                        ? annotations.Where(a => a!["data"]!["mask"]![r]![c]!.GetValue<int>() == 1).Select(a => a!["class_index"]!.GetValue<int>() + 1).SingleOrDefault()
                        : 0;
                    Assert.Equal(expected, got);
                    checkedPixels++;
                }
            }
        }

        Assert.True(byInstance.Count > 0, "the label map must reach some instance");
        Assert.Equal(geometry.Slices.Count * geometry.Rows * geometry.Columns, checkedPixels);
    }

    [Fact]
    public void AClassMapRenamesAndLeavesOutLabels()
    {
        var series = Series("axial_hfs");
        var voxels = new byte[series.VoxelCount];
        voxels[0] = 1;
        voxels[1] = 2;
        var label = new Volume(voxels, series.Shape.ToArray(), series.Affine, "label");

        var outputs = MdaiOutputBuilder.Segmentation(label, series, new Dictionary<int, int> { [2] = 5 });

        var annotations = outputs.Where(o => o!["type"]!.GetValue<string>() == "ANNOTATION").ToList();
        Assert.Single(annotations);
        Assert.Equal(5, annotations[0]!["class_index"]!.GetValue<int>());
    }

    [Fact]
    public void LabelsSharingAClassShareOneMaskAndClassesComeInAscendingOrder()
    {
        var series = Series("axial_hfs");
        var voxels = new byte[series.VoxelCount];
        voxels[0] = 1;  // class 4
        voxels[1] = 2;  // class 0
        voxels[2] = 3;  // class 0
        var label = new Volume(voxels, series.Shape.ToArray(), series.Affine, "label");

        var outputs = MdaiOutputBuilder.Segmentation(label, series, new Dictionary<int, int> { [1] = 4, [2] = 0, [3] = 0 });

        var slice = series.Dicom!.Slices.Single(s => s.SliceIndex == 0).SopInstanceUid;
        var annotations = outputs.Where(o => o!["instance_uid"]!.GetValue<string>() == slice).ToList();
        Assert.Equal(new[] { 0, 4 }, annotations.Select(a => a!["class_index"]!.GetValue<int>()));
        var firstRow = annotations[0]!["data"]!["mask"]![0]!.AsArray().Select(v => v!.GetValue<int>()).Take(4);
        Assert.Equal(new[] { 0, 1, 1, 0 }, firstRow);
    }

    [Fact]
    public void ClassifiersGiveOneAnnotationOrOnePerPositiveClass()
    {
        var series = Series("axial_hfs");
        var probabilities = new List<(int, double)> { (0, 0.2), (1, 0.7), (2, 0.55) };

        var single = MdaiOutputBuilder.Classification(probabilities, series.Dicom!, multiLabel: false);
        var multi = MdaiOutputBuilder.Classification(probabilities, series.Dicom!, multiLabel: true);
        var none = MdaiOutputBuilder.Classification(new List<(int, double)> { (0, 0.1) }, series.Dicom!, multiLabel: true);

        Assert.Single(single);
        Assert.Equal(1, single[0]!["class_index"]!.GetValue<int>());
        Assert.Equal(3, single[0]!["probability"]!.AsArray().Count);
        Assert.Equal(new[] { 1, 2 }, multi.Select(o => o!["class_index"]!.GetValue<int>()));
        Assert.Equal(0.55, multi[1]!["probability"]!.GetValue<double>());
        Assert.Equal("NONE", Assert.Single(none)!["type"]!.GetValue<string>());
    }

    [Fact]
    public void AClassDecidedWithoutProbabilitiesIsAnAnnotationWithProbabilityNoneThatPassesStrict()
    {
        using var temp = new TempDirectory();
        var series = Series("axial_hfs");
        var decided = MdaiOutputBuilder.DecidedClasses(new[] { 1 }, series.Dicom!);
        var none = MdaiOutputBuilder.DecidedClasses(System.Array.Empty<int>(), series.Dicom!);

        Assert.Equal(1, Assert.Single(decided)!["class_index"]!.GetValue<int>());
        Assert.True(decided[0]!.AsObject().ContainsKey("probability"));
        Assert.Null(decided[0]!["probability"]);
        Assert.Equal("NONE", Assert.Single(none)!["type"]!.GetValue<string>());
        var path = temp.Combine("out.json");
        MdaiClara.Engine.Publishing.MdaiResultFile.Write(decided.Concat(none.Select(o => o!.DeepClone())).ToList()!, path);
        Assert.DoesNotContain(MdaiOutputValidator.Validate(MdaiOutputJson.Parse(File.ReadAllText(path)), strict: true), f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void ASaturatedProbabilityStaysAPythonFloatInTheFileMdaiReads()
    {
        using var temp = new TempDirectory();
        var series = Series("axial_hfs");
        var probabilities = new List<(int, double)> { (0, 1.0), (1, 0.25), (2, 0.0) };
        var path = temp.Combine("out.json");

        var outputs = MdaiOutputBuilder.Classification(probabilities, series.Dicom!, multiLabel: true)
            .Concat(MdaiOutputBuilder.Classification(probabilities, series.Dicom!, multiLabel: false).Select(o => o!.DeepClone()))
            .ToList();
        MdaiClara.Engine.Publishing.MdaiResultFile.Write(outputs!, path);

        var text = File.ReadAllText(path);
        Assert.Contains("\"probability\":1.0", text, StringComparison.Ordinal);
        Assert.Contains("\"probability\":0.0", text, StringComparison.Ordinal);
        Assert.DoesNotContain(MdaiOutputValidator.Validate(MdaiOutputJson.Parse(text), strict: true), f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void ProbabilitiesOrChannelsInsteadOfLabelsAreRefusedNotRounded()
    {
        var series = Series("axial_hfs");
        var fractional = new float[series.VoxelCount];
        fractional[3] = 0.5f;
        var probabilities = new Volume(fractional, series.Shape.ToArray(), series.Affine, "prob");
        var channels = new Volume(new byte[series.VoxelCount * 2], series.Shape.Take(3).Append(2L).ToArray(), series.Affine, "two-channels");

        var ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputBuilder.Segmentation(probabilities, series));
        Assert.Equal(ErrorIds.MdaiOutputUnavailable, ex.ErrorId);
        Assert.Contains("fractional", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<MdaiClaraException>(() => MdaiOutputBuilder.Segmentation(channels, series));
        Assert.Contains("one value per voxel", ex.Message, StringComparison.Ordinal);

        fractional[3] = 2f;  // whole numbers in a float map are labels
        Assert.Contains(MdaiOutputBuilder.Segmentation(probabilities, series), o => o!["class_index"]?.GetValue<int>() == 1);
    }
}
