"""Stand-in for Clara's medl.apps.evaluate (tests only): the "model" behind tests/mdai/standin/infer.sh.

It reads what a real Clara run would read (environment.json, the inference config, the dataset JSON's inference
datalist, the input files under DATA_ROOT) and writes what MONAI's savers would write under MMAR_EVAL_OUTPUT_PATH:

- segmentation: a label volume defined in WORLD coordinates (RAS mm), on the grid commands/standin.json asks for,
  named like SaveImaged: <eval>/<stem>/<stem>_<postfix><ext> (or without the subfolder);
- classification: a ClassificationSaver CSV, rows "<input path>,<v0>,<v1>,...", no header, in shuffled order.

It reads the datalist as Clara 4.1 does (monai_datalist.py: MONAI 0.8.1's load_decathlon_datalist, so a "test" item
that is an object fails as it fails in Clara: exit 1, "cannot find a suitable reader for file: image"), and writes a
segmentation as the MMAR's saver would (a label map, one-hot or probabilities, channels last as NiftiSaver writes
them), with the labels it encoded beside it (the harness's truth). It refuses (exit 3) an environment the interface
code should have prepared but did not: wrong working directory, DATA_ROOT / MMAR_EVAL_OUTPUT_PATH not rewritten,
batch size or workers not 1 / 0.
Needs numpy, nibabel and pydicom.
"""
import argparse
import hashlib
import json
import os
import random
import sys

import numpy as np

from monai_datalist import DatalistError, load_datalist, load_image_path, resolve, saved_array


def refuse(message):
    print("standin: " + message, flush=True)
    sys.exit(3)


def label_function(points, intensities, spec, classes=None):
    """The world-defined labels: 1 where RAS x > x0, 2 inside an off-centre sphere, 3 where the intensity is above a
    threshold (only where intensities are known). Asymmetric along every axis, so any flip or swap shows. With fewer
    classes, labels above the last are that last one (2 classes: 0 and 1, one organ)."""
    labels = np.zeros(points.shape[:-1], dtype=np.int16)
    labels[points[..., 0] > spec["x0"]] = 1
    distance = np.linalg.norm(points - np.asarray(spec["center"], dtype=np.float64), axis=-1)
    labels[distance < spec["radius"]] = 2
    if intensities is not None and spec.get("threshold") is not None:
        labels[intensities > spec["threshold"]] = 3
    if classes is not None:
        labels = np.minimum(labels, classes - 1).astype(np.int16)
    return labels


def saver_output(truth, saved, behaviour):
    """What the MMAR's saver writes for these labels: the prediction its post-transforms hand it, channel-first,
    written as MONAI 0.8.1's NiftiSaver writes it; channel_axis "first" keeps (C, x, y, z), as a saver that does not
    move the channel would."""
    content = saved["content"]
    if content == "labels":
        labels = truth.astype(behaviour.get("dtype", "float32"))
        return labels[..., None] if behaviour.get("trailing_dim") else labels
    channels = int(saved.get("channels") or behaviour.get("label_classes") or 4)
    if content == "one_hot":
        prediction = np.stack([truth == c for c in range(channels)]).astype(np.float32)
    else:  # probabilities: softmax-like scores whose maximum is the label's channel
        ramp = np.linspace(0.05, 0.15, channels).reshape((-1,) + (1,) * truth.ndim)
        scores = 0.2 + ramp + np.stack([truth == c for c in range(channels)]) * 1.0
        prediction = (scores / scores.sum(axis=0, keepdims=True)).astype(np.float32)
    if saved.get("channel_axis") == "first":
        return prediction
    return saved_array(prediction, behaviour.get("squeeze_end_dims", True))


def class_probabilities(sop_instance_uid, classes, multi_label, quiet):
    """The classification "model": fixed values from the instance UID (all below 0.3 for a quiet instance)."""
    values = []
    for k in range(classes):
        digest = hashlib.sha256(("%s/%d" % (sop_instance_uid, k)).encode()).digest()
        values.append(int.from_bytes(digest[:6], "big") / float(1 << 48))
    if quiet:
        return [0.3 * v for v in values]
    if multi_label:
        return values
    exps = [np.exp(4 * v) for v in values]
    return [float(e / sum(exps)) for e in exps]


def world_points(affine, shape):
    i, j, k = np.meshgrid(*[np.arange(n, dtype=np.float64) for n in shape], indexing="ij")
    voxels = np.stack([i, j, k], axis=-1)
    return voxels.dot(affine[:3, :3].T) + affine[:3, 3]


def rotation(degrees):
    ax, ay, az = np.radians(degrees)
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    return rz.dot(ry).dot(rx)


def output_grid(image_affine, image_shape, grid):
    """The grid the output lives on: the input's own, or one of the given spacing (RAS-aligned or rotated) that covers
    the input's extent, offset by a fraction of a voxel and cut short along its first axis (so some input pixels fall
    outside it and must read 0)."""
    if grid["mode"] == "input":
        return image_affine, tuple(image_shape)
    corners = np.array([[i, j, k] for i in (0, image_shape[0] - 1) for j in (0, image_shape[1] - 1)
                        for k in (0, image_shape[2] - 1)], dtype=np.float64)
    world = corners.dot(image_affine[:3, :3].T) + image_affine[:3, 3]
    spacing = float(grid["spacing"])
    axes = np.eye(3) if grid["mode"] == "ras" else rotation(grid.get("rotation_deg", [20, -35, 10]))
    linear = axes * spacing
    local = world.dot(np.linalg.inv(linear).T)
    low, high = local.min(axis=0) - 0.63, local.max(axis=0) + 0.41
    shape = np.ceil(high - low).astype(int) + 1
    shape[0] = max(1, shape[0] - int(grid.get("cut_first_axis", 1)))
    affine = np.eye(4)
    affine[:3, :3] = linear
    affine[:3, 3] = linear.dot(low)
    return affine, tuple(int(n) for n in shape)


def saved_stem(path):
    stem, ext = os.path.splitext(os.path.basename(path))
    if ext == ".gz":
        stem, _ = os.path.splitext(stem)
    return stem


def check_environment(mmar, config, env, behaviour):
    if os.path.realpath(os.getcwd()) != os.path.realpath(mmar):
        refuse("the working directory is %s, not the MMAR root %s" % (os.getcwd(), mmar))
    for key in ("DATA_ROOT", "MMAR_EVAL_OUTPUT_PATH"):
        if env.get(key) != behaviour["expect_env"][key]:
            refuse("%s is %r, not %r" % (key, env.get(key), behaviour["expect_env"][key]))
    args = config["dataloader"]["args"]
    if args.get("batch_size") != 1 or args.get("num_workers") != 0:
        refuse("dataloader batch_size %r and num_workers %r, not 1 and 0" % (args.get("batch_size"),
                                                                            args.get("num_workers")))


def datalist_paths(mmar, config, env):
    """The input files Clara would read: the inference config's dataset through MONAI 0.8.1's datalist semantics."""
    dataset = config.get("dataset", {})
    path = os.path.join(mmar, resolve(dataset.get("data_list_file_path", "{DATASET_JSON}"), env))
    base = dataset.get("data_file_base_dir")
    key = resolve(dataset.get("data_list_key", "{INFER_DATALIST_KEY}"), env)
    try:
        items = load_datalist(path, key, resolve(base, env) if base is not None else None)
        return [load_image_path(item.get("image")) for item in items]
    except DatalistError as e:
        print("Traceback (most recent call last):\n  (stand-in for Clara's evaluator)\n%s" % e, flush=True)
        sys.exit(1)


def segment(paths, eval_dir, behaviour, record):
    import nibabel

    if len(paths) != 1:
        refuse("a segmentation call should bring one series, not %d" % len(paths))
    image = nibabel.load(paths[0])
    data = np.asanyarray(image.dataobj)
    image_affine = np.asarray(image.affine, dtype=np.float64)
    affine, shape = output_grid(image_affine, data.shape, behaviour["grid"])
    points = world_points(affine, shape)
    intensities = data.astype(np.float64) if behaviour["grid"]["mode"] == "input" else None
    truth = label_function(points, intensities, behaviour["labels"], behaviour.get("label_classes"))
    saved = behaviour.get("saved", {"content": "labels", "channel_axis": "last"})
    labels = saver_output(truth, saved, behaviour)
    stem = saved_stem(paths[0])
    naming = behaviour["naming"]
    name = stem + ("_" + naming["postfix"] if naming["postfix"] else "") + naming["ext"]
    folder = os.path.join(eval_dir, naming["subfolder"] if "subfolder" in naming else
                          (stem if naming["separate_folder"] else ""))
    os.makedirs(folder, exist_ok=True)
    out = nibabel.Nifti1Image(labels, affine)
    out.set_sform(affine, code=1)
    out.set_qform(affine, code=1)
    path = os.path.join(folder, name)
    nibabel.save(out, path)
    print("standin: wrote %s, shape %s" % (path, labels.shape), flush=True)
    truth_image = nibabel.Nifti1Image(truth.astype(np.int16), affine)
    nibabel.save(truth_image, behaviour["truth"])
    record.update({"output": path, "output_shape": list(labels.shape), "input_shape": list(data.shape),
                   "input_dtype": str(data.dtype), "truth": behaviour["truth"], "truth_shape": list(truth.shape)})


def classify(paths, eval_dir, behaviour, record):
    import pydicom

    spec = behaviour["classes"]
    rows = []
    for path in paths:
        ds = pydicom.dcmread(path)
        ds.pixel_array  # a file MONAI could not read would fail here, as LoadImage would
        sop = str(ds.SOPInstanceUID)
        values = class_probabilities(sop, spec["count"], spec["multi_label"], sop in spec.get("quiet", []))
        rows.append(path + "," + ",".join(repr(float(v)) for v in values))
    random.Random(7).shuffle(rows)
    folder = os.path.join(eval_dir, behaviour.get("csv_subfolder", ""))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, behaviour["csv"])
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    record.update({"output": path, "rows": len(rows)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-m", dest="mmar", required=True)
    parser.add_argument("-c", dest="config", required=True)
    parser.add_argument("-e", dest="environment", required=True)
    options, _ = parser.parse_known_args()
    mmar = os.path.normpath(options.mmar)
    with open(os.path.join(mmar, "commands", "standin.json")) as f:
        behaviour = json.load(f)
    with open(os.path.join(mmar, options.environment)) as f:
        env = json.load(f)
    print("standin: evaluating with %s" % options.config, flush=True)
    if behaviour.get("fail"):
        for n in range(1, 121):
            print("standin: log line %d" % n)
        print("RuntimeError: CUDA out of memory (stand-in failure)", flush=True)
        sys.exit(1)
    with open(os.path.join(mmar, options.config)) as f:
        config = json.load(f)
    check_environment(mmar, config, env, behaviour)
    paths = datalist_paths(mmar, config, env)
    eval_dir = env["MMAR_EVAL_OUTPUT_PATH"]
    record = {"inputs": paths}
    if behaviour.get("no_output"):
        os.makedirs(os.path.join(eval_dir, "logs"), exist_ok=True)
        with open(os.path.join(eval_dir, "logs", "metrics.csv"), "w") as f:
            f.write("dice,0\n")
    elif behaviour["task"] == "segmentation":
        segment(paths, eval_dir, behaviour, record)
    else:
        classify(paths, eval_dir, behaviour, record)
    with open(behaviour["record"], "w") as f:
        json.dump(record, f)


if __name__ == "__main__":
    main()
