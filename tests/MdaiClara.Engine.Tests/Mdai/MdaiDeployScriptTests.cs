using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>
/// The generated MD.ai interface code (src/Engine/Mdai/Templates), run for real by tests/mdai/run_mdai_deploy.py:
/// DICOM series in every orientation through the segmentation template and a stand-in infer.sh whose labels are
/// defined in world coordinates, every returned mask pixel compared with the label expected at its position; the
/// classification template against a stand-in CSV; failures; MD.ai's output rules; a Python without scipy or torch.
/// </summary>
public sealed class MdaiDeployScriptTests : IClassFixture<MdaiDeployHarness>
{
    private readonly MdaiDeployHarness harness;

    public MdaiDeployScriptTests(MdaiDeployHarness harness) => this.harness = harness;

    [Theory]
    [InlineData("axial_hfs")]
    [InlineData("axial_ffs")]
    [InlineData("axial_flipped_unsigned")]
    [InlineData("coronal")]
    [InlineData("sagittal")]
    [InlineData("oblique")]
    [InlineData("gantry_tilt")]
    [InlineData("phantom")]
    public void OnTheInputGridEveryMaskPixelIsTheLabelAtItsWorldPointAndValue(string series)
    {
        var report = harness.Case($"seg_{series}_input_grid");
        AssertPassed(report);
        Assert.Equal(0, report.GetProperty("mismatching_pixels").GetInt32());

        // The chain check: the stand-in labelled voxels of the NIfTI the code wrote; the same label function at each
        // DICOM pixel's own world point and value must agree, so voxels and affine are where the DICOM says.
        Assert.Equal(0, report.GetProperty("chain_mismatching_pixels").GetInt32());
        Assert.Equal(new[] { 1, 2, 3 }, MdaiDeployHarness.Ints(report, "labels_seen"));
        Assert.True(report.GetProperty("annotations").GetInt32() >= report.GetProperty("instances").GetInt32() / 2, MdaiDeployHarness.Problems(report));
        Assert.Equal("int16", report.GetProperty("input_nifti").GetProperty("dtype").GetString());
        Assert.Equal(1, report.GetProperty("input_nifti").GetProperty("sform_code").GetInt32());
        Assert.Equal(1, report.GetProperty("input_nifti").GetProperty("qform_code").GetInt32());
    }

    [Theory]
    [InlineData("seg_axial_hfs_ras_grid")]
    [InlineData("seg_axial_ffs_ras_grid")]
    [InlineData("seg_axial_flipped_unsigned_ras_grid")]
    [InlineData("seg_coronal_ras_grid")]
    [InlineData("seg_sagittal_ras_grid")]
    [InlineData("seg_oblique_ras_grid")]
    [InlineData("seg_oblique_rotated_grid")]
    [InlineData("seg_phantom_ras_2mm")]
    [InlineData("seg_phantom_rotated_1_7mm")]
    public void OnAnotherGridEveryMaskPixelIsTheNearestVoxelsLabel(string name)
    {
        var report = harness.Case(name);
        AssertPassed(report);
        Assert.Equal(0, report.GetProperty("mismatching_pixels").GetInt32());
        Assert.NotEqual("input", report.GetProperty("output_grid").GetProperty("mode").GetString());
        Assert.NotEqual(
            report.GetProperty("input_nifti").GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()),
            report.GetProperty("output_grid").GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).Take(3));
        Assert.True(report.GetProperty("annotations").GetInt32() > 0, MdaiDeployHarness.Problems(report));
    }

    [Theory]
    [InlineData("seg_phantom_drifting_input_grid")]
    [InlineData("seg_phantom_drifting_ras_grid")]
    public void AStackDriftingFromOneAffineGetsTheVoxelPlaneTheModelSawOrItsPositionsLabels(string name)
    {
        var report = harness.Case(name);
        AssertPassed(report);
        Assert.Equal(0, report.GetProperty("mismatching_pixels").GetInt32());
        Assert.Equal(40, report.GetProperty("instances").GetInt32());
    }

    [Fact]
    public void ALocalizerFiledInTheSeriesIsLeftOutAsMdaiClaraLeavesItOut()
    {
        var report = harness.Case("seg_localizer_in_series");
        AssertPassed(report);
        Assert.Equal(0, report.GetProperty("mismatching_pixels").GetInt32());
        Assert.Equal(7, report.GetProperty("instances").GetInt32());
        Assert.Contains(MdaiDeployHarness.Log(report), l => l.Contains("Left out 1 localizer image(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void LabelsWithoutAClassAreLeftOutAndSaidSo()
    {
        var report = harness.Case("seg_phantom_input_grid");
        AssertPassed(report);
        Assert.Equal(40, report.GetProperty("instances").GetInt32());
        Assert.Equal(new[] { 0, 1 }, MdaiDeployHarness.Ints(report, "classes"));
        Assert.Contains(MdaiDeployHarness.Log(report), l => l.Contains("Label value(s) 3 have no class_index", System.StringComparison.Ordinal));
    }

    [Fact]
    public void SeveralLabelsMappedToOneClassGiveOneMergedMask()
    {
        var report = harness.Case("seg_phantom_rotated_1_7mm");
        AssertPassed(report);
        Assert.Equal(new[] { 4 }, MdaiDeployHarness.Ints(report, "classes"));
    }

    [Fact]
    public void ClaraFourZeroLayoutAndSaverNamingComeFromTheSettings()
    {
        var report = harness.Case("seg_clara40_layout");
        AssertPassed(report);
        Assert.Equal(0, report.GetProperty("mismatching_pixels").GetInt32());
    }

    [Fact]
    public void AnOutputElsewhereInEvalIsFoundByItsStem()
    {
        var report = harness.Case("seg_output_elsewhere");
        AssertPassed(report);
        Assert.Contains(MdaiDeployHarness.Log(report), l => l.Contains("not at the expected", System.StringComparison.Ordinal));
    }

    [Fact]
    public void NonDicomFilesAndOtherSeriesAreIgnoredWithALogLine()
    {
        var report = harness.Case("seg_mixed_inputs");
        AssertPassed(report);
        Assert.Equal(7, report.GetProperty("instances").GetInt32());
        var log = MdaiDeployHarness.Log(report);
        Assert.Contains(log, l => l.Contains("image/png", System.StringComparison.Ordinal) && l.Contains("ignored", System.StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("pydicom cannot read it", System.StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("other series ignored", System.StringComparison.Ordinal));
    }

    [Fact]
    public void AFailingInferShRaisesWithTheLastFiftyLinesOfItsOutput()
    {
        var report = harness.Case("fail_infer_exit_code");
        AssertPassed(report);
        var error = report.GetProperty("error");
        Assert.Equal("predict", error.GetProperty("phase").GetString());
        Assert.Contains("RuntimeError", error.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("exit code 1", message, System.StringComparison.Ordinal);
        Assert.Contains("CUDA out of memory", message, System.StringComparison.Ordinal);
        Assert.Contains("log line 72\n", message, System.StringComparison.Ordinal);
        Assert.DoesNotContain("log line 71\n", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void NoOutputFileIsAnErrorThatListsWhatEvalHolds()
    {
        var report = harness.Case("fail_no_output");
        AssertPassed(report);
        var message = report.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("wrote no result", message, System.StringComparison.Ordinal);
        Assert.Contains("logs/metrics.csv", message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fail_multiframe", "multi-frame")]
    [InlineData("fail_missing_slice", "not evenly spaced")]
    [InlineData("fail_mixed_orientation", "mixes orientations")]
    public void SeriesThatDoNotFormOneVolumeAreRefusedClearly(string name, string reason)
    {
        var report = harness.Case(name);
        AssertPassed(report);
        Assert.Equal("predict", report.GetProperty("error").GetProperty("phase").GetString());
        Assert.Contains(reason, report.GetProperty("error").GetProperty("message").GetString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsItDoesNotKnowStopTheModelAtStart()
    {
        var report = harness.Case("fail_unknown_setting");
        AssertPassed(report);
        Assert.Equal("init", report.GetProperty("error").GetProperty("phase").GetString());
        Assert.Contains("output_spacing", report.GetProperty("error").GetProperty("message").GetString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void MultiLabelClassificationAnnotatesEveryClassOverTheThresholdAndNoneOtherwise()
    {
        var report = harness.Case("cls_multi_label");
        AssertPassed(report);
        Assert.Equal(4, report.GetProperty("instances").GetInt32());
        Assert.Equal(0, report.GetProperty("mismatching_outputs").GetInt32());
        Assert.Equal(1, report.GetProperty("nones").GetInt32());
        Assert.True(report.GetProperty("annotations").GetInt32() > 3, MdaiDeployHarness.Problems(report));
    }

    [Theory]
    [InlineData("cls_single_label_one_instance", 1)]
    [InlineData("cls_single_label_csv_in_subfolder", 3)]
    public void SingleLabelClassificationGivesOneAnnotationPerInstanceMatchedByFileName(string name, int instances)
    {
        var report = harness.Case(name);
        AssertPassed(report);
        Assert.Equal(instances, report.GetProperty("annotations").GetInt32());
        Assert.Equal(0, report.GetProperty("nones").GetInt32());
        Assert.Equal(0, report.GetProperty("mismatching_outputs").GetInt32());
    }

    [Theory]
    [InlineData("seg_onehot_2class_channel_last_input_grid", "a one-hot volume of 2 classes, shape 96x88x40x2")]
    [InlineData("seg_onehot_2class_channel_last_ras_grid", "a one-hot volume of 2 classes")]
    [InlineData("seg_onehot_4class_no_squeeze_input_grid", "a one-hot volume of 4 classes")]
    [InlineData("seg_probabilities_4class_rotated_grid", "class probabilities of 4 classes")]
    [InlineData("seg_probabilities_unknown_count_input_grid", "class probabilities of 4 classes")]
    [InlineData("seg_onehot_channel_first_input_grid", "a one-hot volume of 4 classes, shape 4x")]
    public void OneHotAndProbabilityVolumesAreReadAsTheSaverWritesThemEveryMaskPixelChecked(string name, string logged)
    {
        var report = harness.Case(name);
        AssertPassed(report);
        Assert.Equal(0, report.GetProperty("mismatching_pixels").GetInt32());
        Assert.True(report.GetProperty("annotations").GetInt32() > 0, MdaiDeployHarness.Problems(report));
        // The saver's file really had a channel axis (4-D), and the code said how it read it.
        Assert.Equal(4, report.GetProperty("output_grid").GetProperty("shape").GetArrayLength());
        Assert.Contains(MdaiDeployHarness.Log(report), l => l.Contains(logged, StringComparison.Ordinal) && l.Contains("argmax", StringComparison.Ordinal));
        if (name.EndsWith("_input_grid", StringComparison.Ordinal))
        {
            Assert.Equal(0, report.GetProperty("chain_mismatching_pixels").GetInt32());
        }
    }

    [Fact]
    public void TheSpleenGettingStartedShapeGivesOneClassOnEveryPhantomSlice()
    {
        // clara4.1_spleen_ct_seg_GettingStarted: AsDiscreted(argmax, to_onehot, n_classes 2) before SaveImaged.
        var report = harness.Case("seg_onehot_2class_channel_last_input_grid");
        AssertPassed(report);
        Assert.Equal(40, report.GetProperty("instances").GetInt32());
        Assert.Equal(new[] { 0 }, MdaiDeployHarness.Ints(report, "classes"));
        Assert.Equal(new[] { 1 }, MdaiDeployHarness.Ints(report, "labels_seen"));
    }

    [Theory]
    [InlineData("fail_saved_onehot_where_labels_expected", "end with a label map (one value per voxel)")]
    [InlineData("fail_saved_labels_where_onehot_expected", "writes a one-hot volume (x, y, z, 2), channels last")]
    [InlineData("fail_saved_wrong_channel_count", "(x, y, z, 3)")]
    public void ASavedFileThatIsNotWhatThePackageDescribesIsRefusedWithBothShapes(string name, string reason)
    {
        var report = harness.Case(name);
        AssertPassed(report);
        var error = report.GetProperty("error");
        Assert.Equal("predict", error.GetProperty("phase").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains("has shape (", message, StringComparison.Ordinal);
        Assert.Contains("Regenerate the package", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStandInReadsDatalistsAsMonai081Does()
    {
        var datalist = harness.Report.GetProperty("standin_datalist");
        Assert.True(datalist.GetProperty("ok").GetBoolean(), datalist.ToString());
        var cases = datalist.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(7, cases.Count);
        var wrapped = cases.Single(c => c.GetProperty("what").GetString() == "a test object is wrapped again and read as a file named image");
        Assert.Equal("RuntimeError: cannot find a suitable reader for file: image.", wrapped.GetProperty("got").GetString());
    }

    [Fact]
    public void TestEntriesThatAreObjectsStopTheModelAtStartAndPathsUnderAnotherKeyFailInClara()
    {
        var objects = harness.Case("fail_settings_objects_under_test");
        AssertPassed(objects);
        Assert.Equal("init", objects.GetProperty("error").GetProperty("phase").GetString());
        Assert.Contains("load_decathlon_datalist", objects.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // The stand-in fails as Clara would: MONAI's loader refuses a bare path under a key other than "test".
        var paths = harness.Case("fail_clara_paths_under_another_key");
        AssertPassed(paths);
        Assert.Contains("Every item in items must be a dict but got str", paths.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheTemplatesRunWithNumpyPydicomAndNibabelOnly()
    {
        var environment = harness.Report.GetProperty("environment");
        Assert.True(environment.GetProperty("ok").GetBoolean(), environment.ToString());
        Assert.Empty(environment.GetProperty("blocked_imports_by_templates").EnumerateArray());
        var templates = environment.GetProperty("templates");
        Assert.Empty(templates.GetProperty("problems").EnumerateArray());
        var files = templates.GetProperty("files").EnumerateArray().ToList();
        // 8 MMAR files (two deploy scripts, six mdai_clara_* helpers) and 4 bundle files (two deploy scripts, workspace, runner).
        Assert.Equal(12, files.Count);
        var allowed = new[]
        {
            "csv", "io", "json", "math", "os", "shutil", "struct", "subprocess", "sys", "tempfile", "time", "zlib", "numpy", "pydicom", "nibabel",
            "mdai_clara_dicom", "mdai_clara_eval", "mdai_clara_instances", "mdai_clara_output", "mdai_clara_settings", "mdai_clara_workspace", "mdai_bundle_workspace",
        };
        foreach (var file in files)
        {
            // Only the bundle runner imports MONAI: it runs in its own process on the bundle's Python image.
            var mine = file.GetProperty("file").GetString() == "mdai_bundle_run.py" ? allowed.Append("monai").ToArray() : allowed;
            Assert.All(file.GetProperty("imports").EnumerateArray().Select(i => i.GetString()), i => Assert.Contains(i, mine));
        }
    }

    [Fact]
    public void EveryCaseOfTheHarnessPasses()
    {
        var failed = harness.Cases.Where(c => !c.GetProperty("ok").GetBoolean()).Select(MdaiDeployHarness.Problems).ToList();
        Assert.True(failed.Count == 0, string.Join("\n\n", failed));
        Assert.True(harness.Cases.Count() >= 44, $"only {harness.Cases.Count()} cases ran");
    }

    private static void AssertPassed(JsonElement report) =>
        Assert.True(report.GetProperty("ok").GetBoolean(), MdaiDeployHarness.Problems(report));
}
