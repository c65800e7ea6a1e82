using System;
using System.IO;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>Where the repository's committed test data lives.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> RepoRootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MdaiClara.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (MdaiClara.sln) above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => RepoRootLazy.Value;

    public static string SampleMmar => Path.Combine(RepoRoot, "samples", "clara_pt_phantom_ct_segmentation");

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");

    public static string TorchScriptFixture(string name) => Path.Combine(Fixtures, "torchscript", name);

    /// <summary>A file copied from ../shared/golden, under the same relative path (see tests/fixtures/golden/README.md).</summary>
    public static string Golden(string relative) => Path.Combine(Fixtures, "golden", relative);
}
