using System.Collections.Generic;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Validation;
using Xunit;
using static MdaiClara.Engine.Tests.Mdai.MdaiOutputTestData;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>With the instances' sizes, each mask must be Rows × Columns of its instance (Warnings: MD.ai does not check).</summary>
public sealed class MdaiMaskSizeTests
{
    private static readonly Dictionary<string, (int Rows, int Columns)> Sizes = new() { [Instance] = (2, 3) };

    private static string MaskOutput(string mask, string? instance = Instance)
    {
        var uid = instance is null ? string.Empty : $", \"instance_uid\": \"{instance}\"";
        return "[{\"type\": \"ANNOTATION\", \"study_uid\": \"1\", \"class_index\": 0" + uid + ", \"data\": {\"mask\": " + mask + "}}]";
    }

    [Fact]
    public void AMaskOfTheInstancesSizePasses() => Assert.Empty(Validate(MaskOutput("[[0, 1, 0], [1, 1, 0]]"), sizes: Sizes));

    [Fact]
    public void AMaskOfAnotherSizeIsReported()
    {
        var f = Assert.Single(Validate(MaskOutput("[[0, 1], [1, 1], [0, 0], [1, 0]]"), sizes: Sizes));
        Assert.Equal(MdaiOutputRuleIds.MaskSizeMismatch, f.RuleId);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal("[0].data.mask", f.Location);
        Assert.Contains("The mask is 4×2 (rows×columns), but instance 1.2.3.4.5 is 2×3.", f.Message);
        Assert.DoesNotContain("transposed", f.Message);
    }

    [Fact]
    public void ATransposedMaskIsNamedSo()
    {
        var f = Assert.Single(Validate(MaskOutput("[[0, 1], [1, 1], [0, 0]]"), sizes: Sizes));
        Assert.Equal(MdaiOutputRuleIds.MaskSizeMismatch, f.RuleId);
        Assert.Contains("transposed", f.Message);
    }

    [Theory]
    [InlineData("9.9.9", "none of the 1 instance given")]
    [InlineData(null, "it has no instance_uid")]
    public void AMaskOfAnUnknownInstanceCannotBeChecked(string? instance, string text)
    {
        var f = Assert.Single(Validate(MaskOutput("[[0, 1, 0], [1, 1, 0]]", instance), sizes: Sizes));
        Assert.Equal(MdaiOutputRuleIds.MaskInstanceUnknown, f.RuleId);
        Assert.Equal("[0].instance_uid", f.Location);
        Assert.Contains(text, f.Message);
    }

    [Fact]
    public void NoSizesNoCheck() => Assert.Empty(Validate(MaskOutput("[[0]]", instance: null)));

    [Fact]
    public void OnlyMasksAreChecked() =>
        Assert.Empty(Validate("[" + Annotation("\"data\": {\"x\": 1, \"y\": 2}") + "]", sizes: Sizes));

    [Fact]
    public void AMaskMdaiRejectsIsNotMeasured()
    {
        var f = Assert.Single(Validate(MaskOutput("[0, 1, 0]"), sizes: Sizes));
        Assert.Equal(MdaiOutputRuleIds.MaskInvalid, f.RuleId);
    }
}
