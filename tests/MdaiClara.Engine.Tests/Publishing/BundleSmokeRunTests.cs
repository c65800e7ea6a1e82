using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Publishing;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Publishing;

/// <summary>
/// Publish-MdaiModel -Bundle's smoke run: the packaged golden CT bundle run on the phantom study and judged as the
/// packaged interface code will judge it (what its SaveImaged writes, read by saved_output, the MD.ai list by MD.ai's
/// rules); a SaveImaged whose file the code would refuse or not find, and a study the code refuses, fail it.
/// </summary>
public sealed class BundleSmokeRunTests
{
    private static readonly string GoldenBundle = Path.Combine(TestPaths.Fixtures, "bundles", "golden-ct-seg");
    private static readonly string PhantomDicom = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom");

    private static PublishResult Publish(string bundle, TempDirectory temp, string? study = null)
    {
        using var cache = new ModelSessionCache();
        return MdaiBundlePublisher.Publish(bundle, new PublishOptions
        {
            Destination = temp.Combine("out"),
            Study = [study ?? PhantomDicom],
            Deliver = false,
            Package = new MdaiPackageOptions { DeviceType = "cpu" },
        }, cache);
    }

    private static PublishCheck Check(PublishResult result, string name) => result.Checks.Single(c => c.Name == name);

    /// <summary>A copy of the golden bundle whose SaveImaged (the last postprocessing transform) is changed.</summary>
    private static string WithSaver(TempDirectory temp, Action<JsonObject> change, Action<JsonArray>? transforms = null)
    {
        var bundle = temp.Combine("bundle");
        BundlePackageVerifierTests.CopyFolder(GoldenBundle, bundle);
        var path = Path.Combine(bundle, "configs", "inference.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var list = config["postprocessing"]!["transforms"]!.AsArray();
        change(list[^1]!.AsObject());
        transforms?.Invoke(list);
        File.WriteAllText(path, config.ToJsonString());
        return bundle;
    }

    [Fact]
    public void TheGoldenBundlePassesWithWhatItsSaveImagedWritesAndTheMdaiOutputList()
    {
        using var temp = new TempDirectory();

        var result = Publish(GoldenBundle, temp);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Checks));
        Assert.Equal(["Test-MonaiBundle", "Package", "Verify package", "Smoke run", "MD.ai output", "Deliver"], result.Checks.Select(c => c.Name));
        var smoke = Check(result, "Smoke run").Detail;
        Assert.Contains("which the packaged code reads as a label map (one value per voxel)", smoke, StringComparison.Ordinal);
        Assert.Contains("(form, not accuracy)", smoke, StringComparison.Ordinal);
        Assert.Matches(@"^[1-9]\d* outputs \([1-9]\d* annotations\) pass MD.ai's output rules$", Check(result, "MD.ai output").Detail);
    }

    [Fact]
    public void ASaveImagedWritingWhatTheCodeRefusesFailsTheSmokeRunThoughMdaiClarasOwnLabelMapIsFine()
    {
        // SaveImaged writes the preprocessed image (intensities 0..1, float32), not the argmax: packaging reads an
        // AsDiscreted argmax before it and tells the code to expect labels, which it refuses as fractional values.
        using var temp = new TempDirectory();
        var bundle = WithSaver(temp, saver =>
        {
            saver["keys"] = "image";
            saver.Remove("output_dtype");
        });

        var result = Publish(bundle, temp);

        Assert.False(result.Passed);
        Assert.Equal(PublishCheckStatus.Passed, Check(result, "Verify package").Status);
        var smoke = Check(result, "Smoke run");
        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Contains("MD.ai's interface code would refuse what SaveImaged writes", smoke.Detail, StringComparison.Ordinal);
        Assert.Contains("holds fractional values", smoke.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Checks, c => c.Name is "MD.ai output" or "Deliver");
    }

    [Fact]
    public void ProbabilitiesSavedAsUint8FailBecauseTheCastLeavesNothingToArgmax()
    {
        using var temp = new TempDirectory();
        var bundle = WithSaver(temp, _ => { }, list => list.RemoveAt(1)); // the AsDiscreted argmax; output_dtype stays uint8

        var smoke = Check(Publish(bundle, temp), "Smoke run");

        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Matches(@"writes the class probabilities as \S*uint8 \(its output_dtype\)", smoke.Detail);
    }

    [Fact]
    public void ALabelMapResampledWithBilinearInterpolationFails()
    {
        // No Invertd: the labels are on the preprocessed grid, and resample true brings them back with bilinear.
        using var temp = new TempDirectory();
        var bundle = WithSaver(temp, saver =>
        {
            saver["resample"] = true;
            saver["mode"] = "bilinear";
        }, list => list.RemoveAt(2));

        var smoke = Check(Publish(bundle, temp), "Smoke run");

        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Contains("resamples the label map to the input's grid (resample true) with bilinear interpolation", smoke.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ALabelMapOnThePreprocessedGridPassesPlacedInWorldCoordinates()
    {
        // No Invertd and no resampling: the file holds the labels on the Spacingd grid with that grid's affine, which the
        // packaged code places on the series by world position.
        using var temp = new TempDirectory();
        var bundle = WithSaver(temp, _ => { }, list => list.RemoveAt(2));

        var result = Publish(bundle, temp);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Checks));
        Assert.Equal(PublishCheckStatus.Passed, Check(result, "MD.ai output").Status);
    }

    [Fact]
    public void ASaveImagedThatDoesNotWriteToTheOverriddenOutputDirStopsPublishingAtThePackage()
    {
        using var temp = new TempDirectory();
        var bundle = WithSaver(temp, saver => saver["output_dir"] = "./fixed-folder");

        var result = Publish(bundle, temp);

        Assert.Equal(["Test-MonaiBundle", "Package"], result.Checks.Select(c => c.Name));
        Assert.Contains("not under @output_dir", Check(result, "Package").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ASaveImagedWritingAnotherFormatFails()
    {
        using var temp = new TempDirectory();
        var bundle = WithSaver(temp, saver => saver["output_ext"] = ".nrrd");

        var smoke = Check(Publish(bundle, temp), "Smoke run");

        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Contains("writes '.nrrd' files (its output_ext)", smoke.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AStudyTheInterfaceCodeRefusesFailsTheSmokeRun()
    {
        using var temp = new TempDirectory();

        var result = Publish(GoldenBundle, temp, Path.Combine(TestPaths.Fixtures, "dicom", "series", "enhanced_multiframe"));

        var smoke = Check(result, "Smoke run");
        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Matches("MD.ai's interface code would refuse .*frames", smoke.Detail);
        Assert.False(result.Passed);
    }

    [Fact]
    public void AClassifierFedPngPicturesFailsBecauseTheSmokeRunCannotJudgeIt()
    {
        using var temp = new TempDirectory();

        var result = Publish(Path.Combine(TestPaths.Fixtures, "bundles", "golden-rgb-cls"), temp);

        Assert.Equal(PublishCheckStatus.Passed, Check(result, "Verify package").Status);
        var smoke = Check(result, "Smoke run");
        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Contains("each instance as a PNG of its stored pixels", smoke.Detail, StringComparison.Ordinal);
        Assert.False(result.Passed);
    }

    [Fact]
    public void AClassifierReadingDicomRunsInstanceByInstanceAndFailsOnGreyImagesItsNetworkCannotTake()
    {
        // The RGB classifier made to read DICOM: the packaged code hands it each CT instance (one grey channel), which its
        // three-channel network cannot take, so MD.ai would fail it too.
        using var temp = new TempDirectory();
        var bundle = temp.Combine("bundle");
        BundlePackageVerifierTests.CopyFolder(Path.Combine(TestPaths.Fixtures, "bundles", "golden-rgb-cls"), bundle);
        var path = Path.Combine(bundle, "configs", "inference.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["preprocessing"]!["transforms"]![0]!.AsObject().Remove("reader");
        File.WriteAllText(path, config.ToJsonString());

        var result = Publish(bundle, temp);

        var smoke = Check(result, "Smoke run");
        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Contains("expected input[1, 1, 32, 32] to have 3 channels, but got 1 channels instead", smoke.Detail, StringComparison.Ordinal);
        Assert.False(result.Passed);
    }
}
