using System.IO;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>The sample phantom (image and truth) laid out as the sample MMAR's validation datalist expects it under a data root.</summary>
internal static class EvaluationFixtures
{
    public static string PhantomImage => Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "phantom_ct.nii.gz");

    public static string PhantomTruth => Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "phantom_truth.nii.gz");

    /// <summary>A data root where the sample's validation items <paramref name="present"/> (e.g. "phantom_020") exist as copies of the phantom; the others are missing.</summary>
    public static string DataRoot(TempDirectory temp, params string[] present)
    {
        var root = temp.Combine("data");
        Directory.CreateDirectory(Path.Combine(root, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
        foreach (var name in present)
        {
            File.Copy(PhantomImage, Path.Combine(root, "imagesTr", name + ".nii.gz"));
            File.Copy(PhantomTruth, Path.Combine(root, "labelsTr", name + ".nii.gz"));
        }

        return root;
    }
}
