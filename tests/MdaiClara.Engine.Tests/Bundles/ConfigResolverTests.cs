using System.Collections.Generic;
using System.Linq;
using System.Text;
using MdaiClara.Engine.Bundles;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

public class ConfigResolverTests
{
    private static ConfigResolver Resolver(string json, Dictionary<string, string>? files = null) =>
        new(BundleJsonReader.Read("configs/inference.json", Encoding.UTF8.GetBytes(json)).Root!,
            path => files is not null && files.TryGetValue(path, out var text) ? ConfigFile.Parse(path, Encoding.UTF8.GetBytes(text)) : null);

    [Fact]
    public void ReferencesResolveWithBothSeparatorsAndIntoLists()
    {
        var r = Resolver("{\"a\": {\"b\": [10, {\"c\": 7}]}, \"x\": \"@a::b::1::c\", \"y\": \"@a#b#0\", \"z\": \"$@a::b::0 + 1\"}");
        Assert.Equal(7L, r.Resolve("x"));
        Assert.Equal(10L, r.Resolve("y"));
        Assert.Equal(11L, r.Resolve("z"));
    }

    [Fact]
    public void RelativeIdsResolveFromTheCurrentItem()
    {
        var r = Resolver("{\"A\": 1, \"B\": {\"key\": \"@##A\", \"value1\": 2, \"value2\": \"%#value1\", \"value3\": [3, 4, \"@#1\"]}}");
        Assert.Equal(1L, r.Resolve("B::key"));
        Assert.Equal(2L, r.Resolve("B::value2"));
        Assert.Equal(4L, r.Resolve("B::value3::2"));
    }

    [Fact]
    public void MacrosCopyFromThisAndOtherConfigFiles()
    {
        var r = Resolver("{\"net\": {\"ch\": 3}, \"copy\": \"%net#ch\", \"other\": \"%configs/train.json#network_def#in_channels\"}",
            new() { ["configs/train.json"] = "{\"network_def\": {\"in_channels\": 4}}" });
        Assert.Equal(3L, r.Resolve("copy"));
        Assert.Equal(4L, r.Resolve("other"));
    }

    [Fact]
    public void MacroOutsideTheBundleIsAPathEscape()
    {
        var (_, problem) = Resolver("{\"x\": \"%../secret.json#a\"}").TryResolve("x");
        Assert.Equal(ConfigProblemKind.PathEscapesBundle, problem!.Kind);
    }

    [Fact]
    public void MissingReferenceNamesItAndWhereItIsWritten()
    {
        var (_, problem) = Resolver("{\n  \"x\": {\"_target_\": \"LoadImaged\", \"keys\": \"@image_key\"}\n}").TryResolve("x");
        Assert.Equal(ConfigProblemKind.MissingReference, problem!.Kind);
        Assert.Equal(new ConfigPosition("configs/inference.json", 2, 43), problem.Position);
        Assert.Contains("@image_key", problem.Message);
    }

    [Fact]
    public void CircularReferencesAreReported()
    {
        var (_, problem) = Resolver("{\"a\": \"@b\", \"b\": \"@a\"}").TryResolve("a");
        Assert.Equal(ConfigProblemKind.CircularReference, problem!.Kind);
    }

    [Fact]
    public void ComponentsKeepTargetModeRequiresAndArgumentPositions()
    {
        var r = Resolver("{\"out\": \"/tmp/x\", \"t\": {\"_target_\": \"monai.transforms.Spacingd\", \"_mode_\": \"callable\", \"_requires_\": \"@out\", \"_desc_\": \"d\", \"keys\": \"image\", \"pixdim\": [1, 2.5]}}");
        var c = Assert.IsType<ComponentValue>(r.Resolve("t"));
        Assert.Equal("Spacingd", c.ShortName);
        Assert.Equal(ComponentMode.Callable, c.Mode);
        Assert.Equal(new[] { "@out" }, c.Requires);
        Assert.Equal(new[] { "keys", "pixdim" }, c.Args.Select(a => a.Key));
        Assert.Equal(1, c.ArgPositions["keys"].Line);
    }

    [Fact]
    public void RequiresAreResolvedBeforeTheComponentOneOrAList()
    {
        var r = Resolver("{\"root\": \".\", \"out\": \"$@root + '/eval'\", \"ops\": [\"$@root + '/a'\", \"@out\"], \"t\": {\"_target_\": \"SaveImaged\", \"_requires_\": [\"@out\", \"@ops\", \"$@root + '/b'\"], \"keys\": \"pred\"}}");
        var c = Assert.IsType<ComponentValue>(r.Resolve("t"));
        Assert.Equal(new[] { "@out", "@ops", "$@root + '/b'" }, c.Requires);
        Assert.Equal(new object?[] { "./a", "./eval" }, r.Resolve("ops"));
        Assert.Equal("./b", r.Resolve("t::_requires_::2"));
    }

    [Fact]
    public void ARequiredReferenceThatDoesNotResolveStopsTheComponentWhereItIsWritten()
    {
        var (_, problem) = Resolver("{\n  \"t\": {\"_target_\": \"SaveImaged\",\n    \"_requires_\": [\"@out\", \"@create_output_dir\"], \"keys\": \"pred\"}, \"out\": 1\n}").TryResolve("t");
        Assert.Equal(ConfigProblemKind.MissingReference, problem!.Kind);
        Assert.Equal(new ConfigPosition("configs/inference.json", 3, 28), problem.Position);
        Assert.Contains("'@create_output_dir'", problem.Message);
        Assert.Contains("_requires_ of 't'", problem.Message);
    }

    [Theory]
    [InlineData("\"_requires_\": \"$monai.utils.set_determinism(0)\"", 2, 16, "set_determinism")]
    [InlineData("\"_requires_\": \"@set_timesteps\"", 3, 18, ".set_timesteps")] // the Model Zoo's generative inferers
    [InlineData("\"_requires_\": [\"@mkdir\"]", 4, 10, "'.mkdir' on a value")] // "create_output_dir" as the Zoo writes it
    public void ARequiredExpressionOutsideTheAllowListStopsTheComponentWhereTheExpressionIs(string requires, int line, int column, string reason)
    {
        var json = "{\"inferer\": {\"_target_\": \"SimpleInferer\",\n " + requires + "},\n\"set_timesteps\": \"$@scheduler.set_timesteps(num_inference_steps=50)\",\n\"mkdir\": \"$Path(@out).mkdir(exist_ok=True)\", \"scheduler\": {\"_target_\": \"DDIMScheduler\"}, \"out\": \"/o\", \"imports\": [\"$from pathlib import Path\"]}";
        var (value, problem) = Resolver(json).TryResolve("inferer");
        Assert.Null(value);
        Assert.Equal(ConfigProblemKind.ExpressionRefused, problem!.Kind);
        Assert.Equal(line, problem.Position.Line);
        Assert.Equal(column, problem.Position.Column);
        Assert.True(problem.Message.Contains(reason, System.StringComparison.Ordinal), problem.Message);
        Assert.Contains("_requires_ of 'inferer'", problem.Message);
    }

    [Fact]
    public void RequiresOfADisabledComponentAreStillResolvedAsMonaiResolvesThem()
    {
        var (_, problem) = Resolver("{\"c\": {\"_target_\": \"A\", \"_disabled_\": true, \"_requires_\": \"@missing\"}}").TryResolve("c");
        Assert.Equal(ConfigProblemKind.MissingReference, problem!.Kind);
    }

    [Fact]
    public void DisabledComponentsAreDroppedFromListsAsMonaiDoes()
    {
        var r = Resolver("{\"flag\": true, \"c\": {\"_target_\": \"Compose\", \"transforms\": [{\"_target_\": \"A\"}, {\"_target_\": \"B\", \"_disabled_\": \"@flag\"}, {\"_target_\": \"C\", \"_disabled_\": \"$not @flag\"}, {\"_target_\": \"D\", \"_disabled_\": \"TRUE\"}]}}");
        var compose = Assert.IsType<ComponentValue>(r.Resolve("c"));
        Assert.Equal(new[] { "A", "C" }, ((object?[])compose.Arg("transforms")!).Cast<ComponentValue>().Select(t => t.Target));
    }

    [Fact]
    public void UnknownModeIsAnInvalidComponent()
    {
        var (_, problem) = Resolver("{\"c\": {\"_target_\": \"A\", \"_mode_\": \"lazy\"}}").TryResolve("c");
        Assert.Equal(ConfigProblemKind.InvalidComponent, problem!.Kind);
    }

    [Fact]
    public void ResolutionIsLazyAsMonaisIs()
    {
        var r = Resolver("{\"bad\": \"$eval('1')\", \"good\": \"@x\", \"x\": 5}");
        Assert.Equal(5L, r.Resolve("good"));
        Assert.Equal(ConfigProblemKind.ExpressionRefused, r.TryResolve("bad").Problem!.Kind);
    }

    [Fact]
    public void LegacyHashInPlainStringsBecomesTheSeparatorAsInMonai1()
    {
        Assert.Equal("a::b", Resolver("{\"s\": \"a#b\"}").Resolve("s"));
    }
}
