using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai.Packaging;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>The wildcard patterns of -Include and -Exclude, relative to the MMAR root.</summary>
public class MmarPathPatternTests
{
    [Theory]
    [InlineData("resources/atlas.nii.gz", "resources/atlas.nii.gz", true)]
    [InlineData("Resources/ATLAS.nii.gz", "resources/atlas.nii.gz", true)]
    [InlineData(@".\resources\atlas.nii.gz", "resources/atlas.nii.gz", true)]
    [InlineData("/resources/atlas.nii.gz", "resources/atlas.nii.gz", true)]
    [InlineData("resources/*.nii.gz", "resources/atlas.nii.gz", true)]
    [InlineData("resources/*.nii.gz", "resources/sub/atlas.nii.gz", false)]
    [InlineData("*.nii.gz", "resources/atlas.nii.gz", false)]
    [InlineData("**/*.nii.gz", "resources/atlas.nii.gz", true)]
    [InlineData("**/*.nii.gz", "atlas.nii.gz", true)]
    [InlineData("**/*.nii.gz", "a/b/c/atlas.nii.gz", true)]
    [InlineData("eval", "eval/case/x_seg.nii.gz", true)]
    [InlineData("eval/", "eval/metrics.csv", true)]
    [InlineData("eval/**", "eval/metrics.csv", true)]
    [InlineData("eval", "evaluation/metrics.csv", false)]
    [InlineData("eval*", "evaluation/metrics.csv", true)]
    [InlineData("models/model?.pt", "models/model1.pt", true)]
    [InlineData("models/model?.pt", "models/model.pt", false)]
    [InlineData("models/model_[0-9].pt", "models/model_7.pt", true)]
    [InlineData("models/model_[0-9].pt", "models/model_x.pt", false)]
    [InlineData("docs/**/figures", "docs/a/b/figures/f.png", true)]
    [InlineData("docs/**/figures", "docs/figures/f.png", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("a+b(c).txt", "a+b(c).txt", true)]
    [InlineData("a+b(c).txt", "aab(c).txt", false)]
    public void MatchesAsDocumented(string pattern, string path, bool matches) =>
        Assert.Equal(matches, MmarPathPattern.Parse(pattern, "include").Matches(path));

    [Theory]
    [InlineData("..", "climbs out")]
    [InlineData("resources/../../etc", "climbs out")]
    [InlineData("x/[", "not closed")]
    [InlineData("x/[]", "not closed or is empty")]
    [InlineData("", "names no path")]
    [InlineData("./", "names no path")]
    public void ABadPatternIsAnOptionErrorThatSaysWhy(string pattern, string why)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => MmarPathPattern.Parse(pattern, "exclude"));

        Assert.Equal(ErrorIds.MdaiPackageOptionInvalid, ex.ErrorId);
        Assert.StartsWith($"The exclude pattern '{pattern}' cannot be used: ", ex.Message, System.StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, System.StringComparison.Ordinal);
    }
}
