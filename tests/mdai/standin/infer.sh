#!/usr/bin/env bash
# Stand-in for a Clara MMAR's commands/infer.sh (tests only): same shape as the real one (sources set_env.sh, passes
# the MMAR root, the inference config and the environment file), but runs standin_infer.py instead of
# medl.apps.evaluate. What it does is set by commands/standin.json, written by tests/mdai/run_mdai_deploy.py.

my_dir="$(dirname "$0")"
. $my_dir/set_env.sh

echo "MMAR_ROOT set to $MMAR_ROOT"
additional_options="$*"

CONFIG_FILE=config/config_inference.json
ENVIRONMENT_FILE=config/environment.json

"${MDAI_STANDIN_PYTHON:-python3}" -u "$my_dir/standin_infer.py" \
    -m "$MMAR_ROOT" \
    -c $CONFIG_FILE \
    -e $ENVIRONMENT_FILE \
    ${additional_options}
