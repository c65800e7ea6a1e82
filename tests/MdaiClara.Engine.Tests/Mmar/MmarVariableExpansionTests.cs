using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

/// <summary>
/// Issue 8's fuzz probe: a 1.3 KB environment.json chaining {L1}×40 five levels deep hung the command while memory
/// grew. Expansion is bounded in substitutions and length, and the error names the variable that exploded.
/// </summary>
public class MmarVariableExpansionTests
{
    private static ConfigObject Chain(string leaf, int levels, int fanOut)
    {
        var json = new JsonObject { ["L0"] = leaf };
        for (var level = 1; level <= levels; level++)
        {
            json["L" + level] = string.Concat(Enumerable.Repeat("{L" + (level - 1) + "}", fanOut));
        }

        return JsonConfigParser.Parse("config/environment.json", Encoding.UTF8.GetBytes(json.ToJsonString())).RootObject!;
    }

    [Fact]
    public void AnExponentialChainStopsWithTheVariableThatExploded()
    {
        var vars = MmarVariables.Build(null, null, Chain("ab", levels: 5, fanOut: 40), null);
        var clock = Stopwatch.StartNew();

        var ex = Assert.Throws<MdaiClaraException>(() => vars.Resolve("{L5}", "/pre_transforms/0/args/dir", null));

        Assert.True(clock.Elapsed.TotalSeconds < 10, $"took {clock.Elapsed}");
        Assert.Equal(ErrorIds.MmarVariableExpansionTooLarge, ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith("The variable {L5} from config/environment.json (used at /pre_transforms/0/args/dir)", ex.Message);
        Assert.Contains("{L5} → {L4}", ex.Message);
    }

    [Fact]
    public void AChainOfEmptyValuesIsStoppedByTheSubstitutionCount()
    {
        // Expands to nothing, so no length bound trips: 40^5 substitutions would still never finish.
        var vars = MmarVariables.Build(null, null, Chain(string.Empty, levels: 5, fanOut: 40), null);

        var ex = Assert.Throws<MdaiClaraException>(() => vars.Resolve("x{L5}", "", null));

        Assert.Equal(ErrorIds.MmarVariableExpansionTooLarge, ex.ErrorId);
        Assert.Contains($"more than {MmarVariables.MaxSubstitutions:N0} placeholder substitutions", ex.Message);
    }

    [Fact]
    public void AModestChainStillResolves()
    {
        var vars = MmarVariables.Build(null, null, Chain("a", levels: 3, fanOut: 10), null);

        Assert.Equal(new string('a', 1000), vars.Resolve("{L3}", "", null));
    }

    [Fact]
    public void AnMmarWhoseEnvironmentExplodesIsRefusedWithTheVariablesName()
    {
        using var temp = new TempDirectory();
        var mmar = temp.CopySample();
        JsonEdit.Edit(System.IO.Path.Combine(mmar, "config", "environment.json"), env =>
        {
            env["L0"] = "ab";
            for (var level = 1; level <= 5; level++)
            {
                env["L" + level] = string.Concat(Enumerable.Repeat("{L" + (level - 1) + "}", 40));
            }

            env["MMAR_CKPT_DIR"] = "{L5}";
            env["MMAR_TORCHSCRIPT"] = "{MMAR_CKPT_DIR}/model.ts";
        });
        var clock = Stopwatch.StartNew();

        var ex = Assert.Throws<MdaiClaraException>(() => MmarAnalyzer.Open(mmar));

        Assert.True(clock.Elapsed.TotalSeconds < 20, $"took {clock.Elapsed}");
        Assert.Equal(ErrorIds.MmarVariableExpansionTooLarge, ex.ErrorId);
        Assert.Contains("{L5} → {L4}", ex.Message);
        Assert.Contains("config/environment.json", ex.Message);
    }
}
