using System;
using System.Linq;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// The standard commands/set_env.sh and commands/infer.sh of a Clara 4.1 MMAR, as NVIDIA's GettingStarted MMAR and
/// MD.ai's spleen example have them: set_env.sh puts MMAR_ROOT at the commands folder's parent and Clara's packages
/// (and the MMAR's custom/ code) on PYTHONPATH; infer.sh sources it and runs medl.apps.evaluate on one config.
/// </summary>
public static class CommandScripts
{
    public const string SetEnvPath = "commands/set_env.sh";
    public const string InferPath = "commands/infer.sh";

    public static string SetEnv() =>
        """
        #!/usr/bin/env bash
        # The standard Clara Train 4.1 set_env.sh (written by MdaiClara's Repair-Mmar).

        export PYTHONPATH="$PYTHONPATH:/opt/nvidia"
        DIR="$( cd "$( dirname "${BASH_SOURCE[0]}" )" >/dev/null 2>&1 && pwd )"
        export MMAR_ROOT=${DIR}/..
        export PYTHONPATH="$PYTHONPATH:/opt/nvidia:$MMAR_ROOT/custom"

        """;

    /// <summary>infer.sh running <paramref name="configFile"/> with <paramref name="environmentFile"/> (both relative to the MMAR root).</summary>
    public static string Infer(string configFile, string environmentFile)
    {
        if (!IsPlainPath(configFile) || !IsPlainPath(environmentFile))
        {
            throw new ArgumentException($"'{configFile}' and '{environmentFile}' must be plain relative paths for a shell script.");
        }

        return $$"""
            #!/usr/bin/env bash
            # Runs the MMAR's inference with its TorchScript model (written by MdaiClara's Repair-Mmar).

            my_dir="$(dirname "$0")"
            . $my_dir/set_env.sh

            echo "MMAR_ROOT set to $MMAR_ROOT"
            additional_options="$*"

            CONFIG_FILE={{configFile}}
            ENVIRONMENT_FILE={{environmentFile}}

            python3 -u -m medl.apps.evaluate \
                -m $MMAR_ROOT \
                -c $CONFIG_FILE \
                -e $ENVIRONMENT_FILE \
                --set \
                print_conf=True \
                multi_gpu=False \
                ${additional_options}

            """;
    }

    /// <summary>Paths go into the script unquoted, as Clara's own scripts write them; only plain relative paths qualify.</summary>
    public static bool IsPlainPath(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.StartsWith('-') && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-');
}
