using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>
/// The golden MONAI-bundle cases (tests/fixtures/bundles, made by make_golden_bundles.py with MONAI 1.3.2's bundle
/// workflow) are intact and agree with themselves, so that parity tests built on them compare against what MONAI wrote.
/// </summary>
public sealed class GoldenBundleFixtureTests
{
    public static TheoryData<string> Cases => new() { "golden-ct-seg", "golden-rgb-cls", "golden-mri-multichannel" };

    private static string Root(string name) => Path.Combine(TestPaths.Fixtures, "bundles", name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryFileHasTheSha256ThatSha256SumsListsAndNoneIsUnlisted(string name)
    {
        var root = Root(name);
        var listed = File.ReadAllLines(Path.Combine(root, "SHA256SUMS"))
            .Where(l => l.Length > 0)
            .ToDictionary(l => l[66..], l => l[..64], StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != "SHA256SUMS" && !f.Contains("__pycache__", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(listed.Keys.OrderBy(f => f, StringComparer.Ordinal), present);
        foreach (var (file, digest) in listed)
        {
            var actual = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, file)))).ToLowerInvariant();
            Assert.True(actual == digest, $"{name}/{file}: SHA-256 {actual}, SHA256SUMS says {digest}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsABundleFolderWithATorchScriptModelAndMonai132Metadata(string name)
    {
        var root = Root(name);
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "configs", "metadata.json")));
        Assert.Equal("1.3.2", metadata.RootElement.GetProperty("monai_version").GetString());
        Assert.True(metadata.RootElement.GetProperty("network_data_format").GetProperty("outputs").GetProperty("pred").GetProperty("num_channels").GetInt32() > 1);
        using var inference = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "configs", "inference.json")));
        Assert.Equal("$@evaluator.run()", inference.RootElement.GetProperty("run")[0].GetString());
        using var zip = ZipFile.OpenRead(Path.Combine(root, "models", "model.ts"));
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/code/__torch__.py", StringComparison.Ordinal) || e.FullName.Contains("/code/", StringComparison.Ordinal));
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/constants.pkl", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProbabilitiesAreTheSoftmaxOfTheLogitsAndTheOutputsAgreeWithCaseJson(string name)
    {
        var root = Root(name);
        using var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "case.json")));
        Assert.Equal("1.3.2", info.RootElement.GetProperty("monai_version").GetString());
        var predictions = ReadPredictions(Path.Combine(root, "expected", "predictions.csv"));
        var items = info.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            var stem = item.GetProperty("stem").GetString()!;
            var logits = Npy.Read(Path.Combine(root, "expected", stem + "_logits.npy"));
            var prob = Npy.Read(Path.Combine(root, "expected", stem + "_prob.npy"));
            var pre = Npy.Read(Path.Combine(root, "expected", stem + "_preprocessed.npy"));
            Assert.Equal(Ints(item.GetProperty("preprocessed_shape")), pre.Shape.Select(s => (int)s));
            Assert.Equal(logits.Shape, prob.Shape);

            var classes = (int)prob.Shape[0];
            var voxels = prob.Values.Length / classes;
            var counts = new int[classes];
            var worst = 0.0;
            for (var v = 0; v < voxels; v++)
            {
                var max = Enumerable.Range(0, classes).Max(c => logits.Values[(c * voxels) + v]);
                var sum = Enumerable.Range(0, classes).Sum(c => Math.Exp(logits.Values[(c * voxels) + v] - max));
                var best = 0;
                for (var c = 0; c < classes; c++)
                {
                    var expected = Math.Exp(logits.Values[(c * voxels) + v] - max) / sum;
                    worst = Math.Max(worst, Math.Abs(expected - prob.Values[(c * voxels) + v]));
                    best = prob.Values[(c * voxels) + v] > prob.Values[(best * voxels) + v] ? c : best;
                }

                counts[best]++;
            }

            Assert.True(worst <= 1e-6, $"{name}/{stem}: prob differs from softmax(logits) by {worst}");
            Assert.Equal(Ints(item.GetProperty("argmax_counts_preprocessed")), counts);

            if (item.TryGetProperty("label", out var labelPath))
            {
                var label = NiftiReader.Read(Path.Combine(root, labelPath.GetString()!));
                var input = NiftiReader.Read(Path.Combine(root, item.GetProperty("input").GetString()!));
                Assert.Equal(input.Shape.Take(3), label.Shape.Take(3));
                Assert.Equal(input.Affine.ToArray(), label.Affine.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
                var labelCounts = label.GetVoxels<byte>().GroupBy(b => (int)b).OrderBy(g => g.Key).Select(g => g.Count()).ToList();
                Assert.Equal(Ints(item.GetProperty("label_counts")), labelCounts);
                Assert.All(labelCounts, c => Assert.True(c > 0, $"{name}/{stem}: a class is missing from the label map"));
            }
            else
            {
                Assert.True(predictions.TryGetValue(stem, out var predicted), $"{name}/{stem} is not in predictions.csv");
                Assert.Equal(counts.ToList().IndexOf(1), predicted);
                Assert.Equal(item.GetProperty("predicted_class").GetInt32(), predicted);
            }
        }
    }

    private static IEnumerable<int> Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToList();

    private static Dictionary<string, int> ReadPredictions(string csv) => !File.Exists(csv)
        ? new Dictionary<string, int>()
        : File.ReadAllLines(csv).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(
                p => Path.GetFileName(p[0]).Split('.')[0],
                p => (int)double.Parse(p[1], CultureInfo.InvariantCulture),
                StringComparer.Ordinal);
}
