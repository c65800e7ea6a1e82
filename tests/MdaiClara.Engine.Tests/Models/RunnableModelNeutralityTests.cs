using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Engine.Validation;
using MdaiClara.Engine.Validation.Deep;
using Xunit;

namespace MdaiClara.Engine.Tests.Models;

/// <summary>
/// What runs a model reads only the <see cref="RunnableModel"/>: a description made by hand, as a second format's reader
/// makes it (no MMAR analysis behind it, its own file names and remedies), runs exactly as the MMAR it copies.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class RunnableModelNeutralityTests
{
    private static readonly string PhantomNifti = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "phantom_ct.nii.gz");

    public RunnableModelNeutralityTests() => TorchRuntime.EnsureLoaded();

    /// <summary>The sample MMAR's pipeline and model, re-described as a bundle would: other file names, no MMAR source.</summary>
    private static RunnableModel BundleLike(MmarAnalysis analysis)
    {
        var config = analysis.Info.InferenceConfig!;
        ComponentSpec Moved(ComponentSpec c) => c with { File = "configs/inference.json" };
        var modelPath = Path.Combine(TestPaths.SampleMmar, "models", "model.ts");
        var bytes = File.ReadAllBytes(modelPath);
        return new RunnableModel
        {
            Name = "phantom_bundle",
            Origin = "/nowhere/phantom_bundle",
            Format = "MONAI bundle",
            FormatVersion = "0.1.0",
            VersionLabel = "bundle 0.1.0",
            Task = ModelTask.Segmentation,
            InputChannels = 1,
            InputChannelsSource = "network_data_format.inputs.image.num_channels in configs/metadata.json",
            InputChannelsSetting = "network_data_format.inputs.image.num_channels in configs/metadata.json",
            OutputChannels = 3,
            ClassNames = new[] { "background", "organ", "lesion" },
            ModelFile = new ModelFile("/nowhere/phantom_bundle/models/model.ts", null, bytes.Length, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant(), () => bytes)
            {
                RelativePath = "models/model.ts",
            },
            ModelFileExpected = "models/model.ts",
            ModelFileRemedy = "make one with the bundle's ckpt_export command",
            MonaiVersion = "0.8.1",
            MonaiVersionSource = "monai_version in configs/metadata.json",
            Inference = config with
            {
                File = "configs/inference.json",
                PreTransforms = config.PreTransforms.Select(Moved).ToList(),
                Inferer = config.Inferer is { } i ? Moved(i) : null,
                PostTransforms = config.PostTransforms.Select(Moved).ToList(),
                Handlers = config.Handlers.Select(Moved).ToList(),
            },
        };
    }

    [Fact]
    public void AHandMadeDescriptionRunsLikeTheMmarItCopies()
    {
        using var cache = new ModelSessionCache();
        var source = MmarLocator.Open(TestPaths.SampleMmar);
        var analysis = MmarAnalyzer.Analyze(source);
        using var fromMmar = ClaraInferenceSession.Create(RunnableModels.FromMmar(analysis), new InferenceSessionOptions(DeviceSpec.Cpu), cache);
        var expected = fromMmar.Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);

        var bundle = BundleLike(analysis);
        source.Dispose(); // nothing of the MMAR may be read from here on
        using var session = ClaraInferenceSession.Create(bundle, new InferenceSessionOptions(DeviceSpec.Cpu), cache);
        var actual = session.Run(InputSource.FromFile(PhantomNifti, "phantom_ct"), null, false, null, default);

        Assert.Equal(expected.Label!.GetVoxels<byte>(), actual.Label!.GetVoxels<byte>());
        Assert.Equal("phantom_bundle", actual.Model);
        Assert.Equal("bundle 0.1.0", actual.ModelVersion);
        Assert.Equal(bundle.ModelFile!.Sha256, actual.ModelSha256);
        Assert.Equal(new[] { "background", "organ", "lesion" }, actual.Classes.Select(c => c.Name));
    }

    [Fact]
    public void RefusalsAreWordedFromTheDescription()
    {
        using var cache = new ModelSessionCache();
        using var source = MmarLocator.Open(TestPaths.SampleMmar);
        var analysis = MmarAnalyzer.Analyze(source);
        var bundle = BundleLike(analysis);

        var noModel = Assert.Throws<MdaiClaraException>(() => ClaraInferenceSession.Create(bundle with { ModelFile = null }, new InferenceSessionOptions(DeviceSpec.Cpu), cache));
        Assert.Equal("phantom_bundle has no TorchScript model to run (models/model.ts); make one with the bundle's ckpt_export command.", noModel.Message);
        Assert.Equal("/nowhere/phantom_bundle", noModel.Target);

        var notRunnable = Assert.Throws<MdaiClaraException>(() => ClaraInferenceSession.Create(bundle with { NotRunnable = "phantom_bundle's inference.json cannot be read." }, new InferenceSessionOptions(DeviceSpec.Cpu), cache));
        Assert.Equal("phantom_bundle's inference.json cannot be read.", notRunnable.Message);
        Assert.Equal(ErrorIds.InferenceConfigInvalid, notRunnable.ErrorId);

        var badTransform = bundle with
        {
            Inference = bundle.Inference! with { PreTransforms = bundle.Inference.PreTransforms.Select(c => c.CanonicalName == "Spacingd" ? c with { Args = new ConfigObject(c.Args.Append(new("mode", "lanczos"))) } : c).ToList() },
        };
        var bound = Assert.Throws<MdaiClaraException>(() => ClaraInferenceSession.Create(badTransform, new InferenceSessionOptions(DeviceSpec.Cpu), cache));
        Assert.Contains("configs/inference.json:", bound.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TheForwardProbeSpeaksTheDescriptionsTerms()
    {
        using var cache = new ModelSessionCache();
        using var source = MmarLocator.Open(TestPaths.SampleMmar);
        var analysis = MmarAnalyzer.Analyze(source);
        var bundle = BundleLike(analysis) with { OutputChannels = 5, OutputChannelsSource = "network_data_format.outputs.pred.num_channels in configs/metadata.json" };

        var findings = ForwardProbe.Run(bundle, DeviceSpec.Cpu, cache, null, default).ToList();

        var channels = Assert.Single(findings, f => f.RuleId == MmarRuleIds.DeepOutputChannels && f.Severity == FindingSeverity.Error);
        Assert.Contains("but the MONAI bundle declares 5 (network_data_format.outputs.pred.num_channels in configs/metadata.json)", channels.Message, StringComparison.Ordinal);
        Assert.Equal("models/model.ts", channels.File);
    }
}
