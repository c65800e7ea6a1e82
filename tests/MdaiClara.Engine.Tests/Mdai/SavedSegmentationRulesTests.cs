using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>
/// The smoke run's C# model of the saved segmentation (<see cref="SavedSegmentationReader"/>) against the real Python:
/// the harness's stand-in saver layout (MONAI 0.8.1's NiftiSaver, tests/mdai/standin/monai_datalist.py) and the
/// packaged code's own reading rules (mdai_clara_output.py), case by case through tests/mdai/saved_output_rules.py, so
/// the C# and the Python cannot drift apart: same file layout, same labels, same refusals word for word.
/// </summary>
public sealed class SavedSegmentationRulesTests
{
    private static readonly SavedSegmentationOutput Labels1 = new() { Content = SavedContent.Labels, Channels = 1 };

    private static SavedSegmentationOutput OneHot(int? channels, SavedChannelAxis axis = SavedChannelAxis.Last) => new() { Content = SavedContent.OneHot, Channels = channels, ChannelAxis = axis };

    private static SavedSegmentationOutput Probabilities(int? channels) => new() { Content = SavedContent.Probabilities, Channels = channels };

    [Fact]
    public void CSharpAndThePackagedPythonReadEverySavedLayoutAlike()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        // z = 3, not 4: a channel-first (4, 6, 5, 3) file must not pass for channels last by chance.
        var labels3d = LabelVolume(6, 5, 3, classes: 4);
        var labels2d = LabelVolume(6, 5, 1, classes: 2).squeeze(-1);
        var cases = new List<(string Name, Tensor Prediction, bool Squeeze, bool WrittenBySaver, SavedSegmentationOutput Description)>
        {
            ("onehot_2_channel_last", OneHotOf(labels3d.clamp(0, 1), 2), true, true, OneHot(2)),
            ("onehot_4_no_squeeze", OneHotOf(labels3d, 4), false, true, OneHot(4)),
            ("onehot_2_of_one_slice", OneHotOf(labels2d, 2), true, true, OneHot(2)),
            ("probabilities_4_with_ties", ProbabilitiesWithTies(labels3d, 4), true, true, Probabilities(4)),
            ("probabilities_unknown_count", ProbabilitiesWithTies(labels3d, 4), true, true, Probabilities(null)),
            ("labels_float", labels3d.unsqueeze(0).to_type(ScalarType.Float32), true, true, Labels1),
            ("labels_no_squeeze", labels3d.unsqueeze(0).to_type(ScalarType.Float32), false, true, Labels1),
            ("onehot_channel_first_file", OneHotOf(labels3d, 4), true, false, OneHot(4, SavedChannelAxis.First)),
            ("refused_onehot_as_labels", OneHotOf(labels3d.clamp(0, 1), 2), true, true, Labels1),
            ("refused_labels_as_onehot", labels3d.unsqueeze(0).to_type(ScalarType.Float32), true, true, OneHot(2)),
            ("refused_wrong_channel_count", OneHotOf(labels3d.clamp(0, 2), 3), true, true, OneHot(2)),
            ("refused_probabilities_as_labels", labels3d.unsqueeze(0).to_type(ScalarType.Float32) * 0.3f, true, true, Labels1),
            ("refused_channel_first_as_last", OneHotOf(labels3d, 4), true, false, OneHot(4)),
        };

        var requests = new JsonArray();
        var ours = new Dictionary<string, (Tensor? Labels, string? Error, long[] SavedShape)>();
        foreach (var (name, prediction, squeeze, bySaver, description) in cases)
        {
            var saved = bySaver ? SavedSegmentationReader.Written(prediction, squeeze) : prediction.to_type(ScalarType.Float32);
            var savedPath = temp.Combine(name + "_saved.nii.gz");
            NiftiWriter.Write(VolumeTensors.ToVolume(saved, Affine.Identity, VoxelType.Float32, name), savedPath);
            string? predictionPath = null;
            if (bySaver)
            {
                predictionPath = temp.Combine(name + "_prediction.nii.gz");
                NiftiWriter.Write(VolumeTensors.ToVolume(prediction, Affine.Identity, VoxelType.Float32, name), predictionPath);
            }

            var where = $"{name}_trans.nii.gz";
            try
            {
                var (labels, _) = SavedSegmentationReader.Labels(saved, description, where);
                ours[name] = (labels, null, saved.shape);
            }
            catch (MdaiClaraException ex)
            {
                ours[name] = (null, ex.Message, saved.shape);
            }

            requests.Add(new JsonObject
            {
                ["name"] = name,
                ["prediction"] = predictionPath,
                ["squeeze_end_dims"] = squeeze,
                ["saved"] = savedPath,
                ["where"] = where,
                ["saved_output"] = JsonSerializer.SerializeToNode(description),
                ["labels_out"] = temp.Combine(name + "_labels.nii.gz"),
            });
        }

        var casesFile = temp.Write("cases.json", requests.ToJsonString());
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "mdai", "saved_output_rules.py");
        var python = JsonNode.Parse(PythonPeer.Run(MdaiDeployHarness.RunHarness, TimeSpan.FromMinutes(2), script, casesFile))!.AsArray();

        Assert.Equal(cases.Count, python.Count);
        foreach (var result in python)
        {
            var name = result!["name"]!.GetValue<string>();
            var (labels, error, savedShape) = ours[name];
            Assert.Equal(savedShape, result["saved_shape"]!.AsArray().Select(v => v!.GetValue<long>()));
            Assert.Equal("float32", result["saved_dtype"]!.GetValue<string>());
            if (result["layout_agrees"] is { } agrees)
            {
                Assert.True(agrees.GetValue<bool>(), $"{name}: C# says the saver writes {string.Join("x", savedShape)}, the stand-in's NiftiSaver {result["standin_shape"]}");
            }

            Assert.True(result["accepted"]!.GetValue<bool>() == (labels is not null), $"{name}: python {result.ToJsonString()}, C# {error ?? "accepted"}");
            if (labels is null)
            {
                Assert.StartsWith("refused_", name, StringComparison.Ordinal);
                Assert.Equal(error, result["error"]!.GetValue<string>());
                continue;
            }

            Assert.DoesNotContain("refused", name, StringComparison.Ordinal);
            var theirs = VolumeTensors.ToTensor(NiftiReader.Read(temp.Combine(name + "_labels.nii.gz")), CPU);
            Assert.Equal(labels.shape, theirs.shape);
            Assert.True(theirs.to_type(ScalarType.Int64).eq(labels).all().item<bool>(), $"{name}: the labels differ at {theirs.to_type(ScalarType.Int64).ne(labels).sum().item<long>()} voxel(s)");
            Assert.True(labels.max().item<long>() > 0, $"{name}: no foreground at all, the case would prove little");
        }
    }

    /// <summary>Labels 0 … classes−1 in a pattern that is not symmetric along any axis.</summary>
    private static Tensor LabelVolume(long x, long y, long z, int classes)
    {
        var i = arange(x).reshape(x, 1, 1);
        var j = arange(y).reshape(1, y, 1);
        var k = arange(z).reshape(1, 1, z);
        return ((i * 7) + (j * 3) + (k * 5) + (i * j)).remainder(classes).to_type(ScalarType.Int64);
    }

    private static Tensor OneHotOf(Tensor labels, int classes) =>
        stack(Enumerable.Range(0, classes).Select(c => labels.eq(c).to_type(ScalarType.Float32)).ToArray());

    /// <summary>Softmax-like scores whose maximum is the label's channel, with exact ties (label and the next channel) in every third voxel: the first maximum must win on both sides.</summary>
    private static Tensor ProbabilitiesWithTies(Tensor labels, int classes)
    {
        var hot = OneHotOf(labels, classes);
        var next = OneHotOf((labels + 1).remainder(classes), classes);
        var tie = (labels + arange(labels.numel()).reshape(labels.shape)).remainder(3).eq(0).to_type(ScalarType.Float32);
        var scores = (hot * 0.6f) + (next * 0.6f * tie) + 0.1f;
        return scores / scores.sum(0, keepdim: true);
    }
}
