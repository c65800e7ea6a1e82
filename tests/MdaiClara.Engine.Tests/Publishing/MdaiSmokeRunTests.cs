using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Publishing;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Publishing;

/// <summary>
/// Publish-MdaiModel's smoke run judges what the packaged interface code will do with what the MMAR's saver writes, not
/// what MdaiClara's own engine makes of the prediction; and its record says that it checks form, not accuracy.
/// </summary>
public sealed class MdaiSmokeRunTests
{
    private static readonly string PhantomDicom = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom");

    private static PublishResult Publish(string mmar, TempDirectory temp)
    {
        using var cache = new ModelSessionCache();
        return MdaiPublisher.Publish(mmar, new PublishOptions { Destination = temp.Combine("out"), Study = [PhantomDicom], Deliver = false }, cache);
    }

    private static PublishCheck Check(PublishResult result, string name) => result.Checks.Single(c => c.Name == name);

    [Fact]
    public void AOneHotSaverPassesBecauseThePackagedCodeReadsWhatItWrites()
    {
        using var temp = new TempDirectory();

        var result = Publish(OneHotMmar.Write(temp), temp);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Checks));
        var smoke = Check(result, "Smoke run").Detail;
        // MONAI 0.8.1's NiftiSaver writes the inverted (2, 96, 88, 40) one-hot prediction as 96x88x40x2.
        Assert.Contains("SaveImaged writes 96x88x40x2, which the packaged code reads as a one-hot volume of 2 classes, channels last", smoke, StringComparison.Ordinal);
        Assert.Contains("(form, not accuracy)", smoke, StringComparison.Ordinal);
        Assert.Equal(PublishCheckStatus.Passed, Check(result, "MD.ai output").Status);
        Assert.Equal(PublishCheckStatus.Skipped, Check(result, "Deliver").Status);
    }

    [Fact]
    public void ASaverTheInterfaceCodeWouldRefuseFailsTheSmokeRunThoughMdaiClarasOwnLabelMapIsFine()
    {
        // The saver writes the preprocessed image (one channel of intensities), not the prediction: MdaiClara's own run
        // still has a fine label map from pred, but the packaged code, told by the config's post-transforms to expect 3
        // channels of probabilities, refuses the file.
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        OneHotMmar.SetPostTransforms(mmar, """
            [{"name": "Activationsd", "args": {"keys": "pred", "softmax": true}},
             {"name": "Invertd", "args": {"keys": "pred", "transform": "@pre_transforms", "orig_keys": "image", "meta_keys": "pred_meta_dict", "nearest_interp": false, "to_tensor": true}},
             {"name": "AsDiscreted", "args": {"keys": "pred", "argmax": true}},
             {"name": "SaveImaged", "args": {"keys": "image", "output_dir": "{MMAR_EVAL_OUTPUT_PATH}", "resample": false}}]
            """);

        var result = Publish(mmar, temp);

        Assert.False(result.Passed);
        Assert.Equal(PublishCheckStatus.Passed, Check(result, "Package").Status);
        var smoke = Check(result, "Smoke run");
        Assert.Equal(PublishCheckStatus.Failed, smoke.Status);
        Assert.Contains("MD.ai's interface code would refuse what SaveImaged writes", smoke.Detail, StringComparison.Ordinal);
        Assert.Contains("class probabilities (x, y, z, 3), channels last", smoke.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Checks, c => c.Name == "MD.ai output");
    }

    [Fact]
    public void ThePackageOfAnMmarWithoutADatasetJsonGivesClaraTestPaths()
    {
        using var temp = new TempDirectory();
        var mmar = OneHotMmar.Write(temp);

        var package = MdaiPackageBuilder.Build(MmarAnalyzer.Open(mmar), temp.Combine("onehot.zip"), new MdaiPackageOptions());

        Assert.Equal("test", package.Settings.DatalistKey);
        // MONAI 0.8.1's load_decathlon_datalist wraps each "test" item as {"image": item}: the items must be paths.
        Assert.Equal("path", package.Settings.DatalistEntry);
        Assert.Equal(new SavedSegmentationOutput { Content = SavedContent.OneHot, Channels = 2 }, package.Settings.SavedOutput);
    }

    [Fact]
    public void TheRecordSaysItChecksFormNotAccuracy()
    {
        using var temp = new TempDirectory();

        var result = Publish(TestPaths.SampleMmar, temp);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Checks));
        Assert.Equal(MdaiPublisher.FormNotAccuracy, result.Scope);
        Assert.Contains("not accuracy", result.Scope, StringComparison.Ordinal);
        Assert.Contains("random weights passes", result.Scope, StringComparison.Ordinal);
        Assert.Contains("form, not accuracy", result.NextStep, StringComparison.Ordinal);
    }
}
