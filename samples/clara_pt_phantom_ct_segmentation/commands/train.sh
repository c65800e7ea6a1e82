#!/usr/bin/env bash

my_dir="$(dirname "$0")"
. $my_dir/set_env.sh

echo "MMAR_ROOT set to $MMAR_ROOT"
additional_options="$*"

# NOTE: documentation only. The shipped model was trained by samples/make_sample.py on phantoms
# generated on the fly; PhantomSegNet3D is not part of Clara/MONAI, so this command needs the
# network class on PYTHONPATH (e.g. in $MMAR_ROOT/custom) to run.
CONFIG_FILE=config/config_train.json
ENVIRONMENT_FILE=config/environment.json

python3 -u -m medl.apps.train \
    -m $MMAR_ROOT \
    -c $CONFIG_FILE \
    -e $ENVIRONMENT_FILE \
    --write_train_stats \
    --set \
    print_conf=True \
    epochs=1500 \
    learning_rate=0.003 \
    num_interval_per_valid=100 \
    multi_gpu=False \
    cudnn_benchmark=False \
    dont_load_ckpt_model=True \
    ${additional_options}
