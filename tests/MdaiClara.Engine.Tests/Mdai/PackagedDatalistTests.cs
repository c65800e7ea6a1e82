using System;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>The datalist the packaged code writes, read back as Clara 4.1 (MONAI 0.8.1's load_decathlon_datalist) reads it.</summary>
public sealed class PackagedDatalistTests
{
    private const string Ct = "/workspace/data/1.2.3.nii.gz";

    private static JsonObject Datalist(string key, string shape) => new() { [key] = new JsonArray(PackagedDatalist.Entry(shape, Ct)) };

    [Theory]
    [InlineData("test", "path")]
    [InlineData("validation", "image")]
    [InlineData("validation", "image_label")]
    public void ShapesClaraReadsGiveItTheInput(string key, string shape) =>
        Assert.Equal(new[] { Ct }, PackagedDatalist.ClaraReads(Datalist(key, shape), key, "config/dataset_0.json"));

    [Theory]
    // What broke clara4.1_spleen_ct_seg_GettingStarted on MD.ai: "test" items are wrapped as {"image": item} again.
    [InlineData("test", "image", "RuntimeError: cannot find a suitable reader for file: image.")]
    [InlineData("test", "image_label", "RuntimeError: cannot find a suitable reader for file: ('image', 'label').")]
    [InlineData("validation", "path", "TypeError: Every item in items must be a dict but got str.")]
    public void ShapesClaraCannotReadFailWithMonaisOwnError(string key, string shape, string monai)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => PackagedDatalist.ClaraReads(Datalist(key, shape), key, "config/dataset_0.json"));

        Assert.Equal(ErrorIds.MdaiOutputUnavailable, ex.ErrorId);
        Assert.Contains(monai, ex.Message, StringComparison.Ordinal);
        Assert.Contains("config/dataset_0.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingKeyIsMonaisValueError()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => PackagedDatalist.ClaraReads(new JsonObject { ["training"] = new JsonArray() }, "test", "config/dataset_0.json"));

        Assert.Contains("ValueError: Data list test not specified", ex.Message, StringComparison.Ordinal);
    }
}
