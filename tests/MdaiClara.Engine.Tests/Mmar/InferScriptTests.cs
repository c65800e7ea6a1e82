using MdaiClara.Engine.Mmar;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

public class InferScriptTests
{
    [Fact]
    public void ReadsConfigEnvironmentAndSetPairsOfAClara41Script()
    {
        const string script = """
            #!/usr/bin/env bash
            my_dir="$(dirname "$0")"
            . $my_dir/set_env.sh
            additional_options="$*"
            CONFIG_FILE=config/config_inference.json
            ENVIRONMENT_FILE=config/environment.json
            python3 -u  -m medl.apps.evaluate \
                -m $MMAR_ROOT \
                -c $CONFIG_FILE \
                -e $ENVIRONMENT_FILE \
                --set \
                print_conf=True \
                multi_gpu=False \
                ${additional_options}
            """;

        var parsed = InferScript.Parse("commands/infer.sh", script);

        Assert.Equal("medl.apps.evaluate", parsed.EntryModule);
        Assert.Equal("config/config_inference.json", parsed.ConfigFile);
        Assert.Equal("config/environment.json", parsed.EnvironmentFile);
        Assert.True(parsed.SourcesSetEnv);
        Assert.Equal("True", parsed.SetValues["print_conf"]);
        Assert.Equal("False", parsed.SetValues["multi_gpu"]);
        Assert.Empty(parsed.UnresolvedArguments);
    }

    [Fact]
    public void EvaluatesBashSubstringsAsNvidiasExampleUsesThem()
    {
        const string script = """
            CONFIG_FILE_NAME=config_train_Unet.json  # need to pass different names
            MMAR_TORCHSCRIPT=models/${CONFIG_FILE_NAME::-5}/model.ts #remove .json from file name
            python3 -u -m medl.apps.evaluate -m $MMAR_ROOT -c config/config_inference.json --set MMAR_TORCHSCRIPT=$MMAR_TORCHSCRIPT
            """;

        var parsed = InferScript.Parse("commands/infer.sh", script);

        Assert.Equal("models/config_train_Unet/model.ts", parsed.SetValues["MMAR_TORCHSCRIPT"]);
    }

    [Fact]
    public void LeavesWhatOnlyAShellCanEvaluate()
    {
        const string script = "python -m nvmidl.apps.evaluate -m $MMAR_ROOT -c $MMAR_ROOT/config/x.json --set DATASET_JSON=$(pwd)/d.json OTHER=$UNKNOWN";

        var parsed = InferScript.Parse("commands/infer.sh", script);

        Assert.Equal("nvmidl.apps.evaluate", parsed.EntryModule);
        Assert.Equal("config/x.json", parsed.ConfigFile);
        Assert.Empty(parsed.SetValues);
        Assert.Equal(2, parsed.UnresolvedArguments.Count);
    }
}
