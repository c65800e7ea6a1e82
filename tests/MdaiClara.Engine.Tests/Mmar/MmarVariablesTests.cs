using System.Collections.Generic;
using System.Text;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

public class MmarVariablesTests
{
    private static ConfigObject Obj(string json) => JsonConfigParser.Parse("x.json", Encoding.UTF8.GetBytes(json)).RootObject!;

    [Fact]
    public void WholePlaceholderKeepsTheVariablesType()
    {
        var vars = MmarVariables.Build(Obj("{\"dont_load_ts_model\": false}"), "config/c.json", Obj("{\"OUTPUT_CHANNELS\": 3}"), null);

        Assert.Equal(false, vars.Resolve("{dont_load_ts_model}", "", null));
        Assert.Equal(3L, vars.Resolve("{OUTPUT_CHANNELS}", "", null));
    }

    [Fact]
    public void PartialPlaceholdersAreTextSubstitution()
    {
        var vars = MmarVariables.Build(null, null, Obj("{\"MMAR_CKPT_DIR\": \"models\", \"N\": 2.5}"), null);

        Assert.Equal("models/model.trt.pb", vars.Resolve("{MMAR_CKPT_DIR}/model.trt.pb", "", null));
        Assert.Equal("x2.5", vars.Resolve("x{N}", "", null));
    }

    [Fact]
    public void CommandLineBeatsEnvironmentWhichBeatsConfigGlobals()
    {
        var vars = MmarVariables.Build(
            Obj("{\"A\": \"config\", \"B\": \"config\", \"C\": \"config\"}"), "config/c.json",
            Obj("{\"B\": \"env\", \"C\": \"env\"}"),
            new Dictionary<string, string> { ["C"] = "True" });

        Assert.Equal("config", vars["A"]);
        Assert.Equal("env", vars["B"]);
        Assert.Equal(true, vars["C"]);
    }

    [Fact]
    public void NestedVariablesResolveAndUnknownOnesAreReported()
    {
        var vars = MmarVariables.Build(null, null, Obj("{\"ROOT\": \"models\", \"TS\": \"{ROOT}/model.ts\"}"), null);
        var unresolved = new List<UnresolvedPlaceholder>();

        var resolved = (ConfigObject)vars.Resolve(Obj("{\"a\": \"{TS}\", \"b\": [\"{NOPE}\"]}"), "", unresolved)!;

        Assert.Equal("models/model.ts", resolved["a"]);
        Assert.Equal("{NOPE}", ((object?[])resolved["b"]!)[0]);
        Assert.Equal(new UnresolvedPlaceholder("NOPE", "/b/0"), Assert.Single(unresolved));
    }

    [Fact]
    public void PythonCodeIsLeftAlone()
    {
        var vars = MmarVariables.Build(null, null, Obj("{\"x\": 1}"), null);
        var unresolved = new List<UnresolvedPlaceholder>();

        Assert.Equal("lambda x: f'{x}'", vars.Resolve("lambda x: f'{x}'", "", unresolved));
        Assert.Equal("#monai.handlers.from_engine(['{x}'])", vars.Resolve("#monai.handlers.from_engine(['{x}'])", "", unresolved));
        Assert.Empty(unresolved);
    }

    [Fact]
    public void SelfReferenceStopsInsteadOfLooping()
    {
        var vars = MmarVariables.Build(null, null, Obj("{\"A\": \"{A}\"}"), null);

        Assert.Equal("{A}", vars.Resolve("{A}", "", null));
    }
}
