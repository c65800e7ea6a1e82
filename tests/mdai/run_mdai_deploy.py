#!/usr/bin/python3
"""Runs MdaiClara's MD.ai interface code (src/Engine/Mdai/Templates) for real and checks what it returns.

For each case it builds a package-like tree in a temporary folder:

    model/.mdai/      mdai_deploy.py (the segmentation or classification template), the mdai_clara_*.py helpers,
                      mdai_clara.json (the settings MdaiClara would generate)
    model/workspace/  a minimal MMAR (config from samples/clara_pt_phantom_ct_segmentation) whose commands/infer.sh is
                      the stand-in in tests/mdai/standin (Clara 4.1 layout; the 4.0 layout puts it one folder down)

then sets MDAI_CLARA_WORKSPACE, imports mdai_deploy, calls MDAIModel().predict() with DICOM files as MD.ai sends them
({"files": [{"content", "content_type"}], "annotations": [], "args": {}}) and checks:

- every output against MD.ai's rules (mdai_output_rules.py);
- segmentation: every mask pixel against the label expected at that pixel, recomputed here from each instance's own
  DICOM tags (world point of the pixel, nearest voxel of the stand-in's output volume, floor(x + 0.5 + 1e-6)); on the
  input grid also against the stand-in's world-and-intensity label function evaluated directly at the pixel, which
  checks the whole chain (the NIfTI's voxels and affine); the NIfTI the code wrote against the fixture's truth;
- classification: every output against the stand-in's probabilities for that instance (CSV rows are shuffled);
- the MMAR edits (environment.json, dataloader of the inference config, the datalist) and nothing else;
- failure cases: the error raised and its message.

Everything runs in a "Clara-like" Python: torch, scipy, MONAI, OpenCV, dicom2nifti, ITK, PIL and pandas cannot be
imported (an import hook refuses them), and the templates' own imports are checked statically (Python 3.8 syntax;
standard library, numpy, pydicom, nibabel only).

Usage: /usr/bin/python3 tests/mdai/run_mdai_deploy.py [--case NAME ...] [--list] [--keep] [--strict] [--templates DIR]
       [--package ZIP] [--dump DIR]
--package runs PACKAGE_CASES on a real package (its own interface code, settings and MMAR; only infer.sh is swapped for
the stand-in); --dump writes each case's outputs and the stand-in's label volume for comparison with MdaiClara's own.
Prints one JSON report: per case ok, problems, instances, annotations, mismatching_pixels (must be 0), elapsed_s.
--strict exits 1 when a case fails. Needs Debian's python3 with python3-numpy, python3-pydicom, python3-nibabel.
"""
import importlib.abc
import sys

BLOCKED_MODULES = ("torch", "scipy", "monai", "cv2", "dicom2nifti", "SimpleITK", "itk", "PIL", "skimage", "pandas",
                   "sklearn", "matplotlib", "tensorflow")


class ClaraLikeImports(importlib.abc.MetaPathFinder):
    """Refuses the heavy packages MD.ai's Clara image may lack (or that the interface code must not need), and
    remembers who asked for them."""

    def __init__(self):
        self.attempts = []

    def find_spec(self, name, path, target=None):
        if name.split(".")[0] not in BLOCKED_MODULES:
            return None
        self.attempts.append({"module": name, "from": _importing_file()})
        raise ModuleNotFoundError("No module named %r (blocked: the interface code must run with numpy, pydicom and "
                                  "nibabel only)" % name, name=name)


def _importing_file():
    frame = sys._getframe(2)
    while frame is not None and (frame.f_code.co_filename.startswith("<frozen") or "importlib" in
                                 frame.f_code.co_filename):
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else "?"


IMPORT_GUARD = ClaraLikeImports()
sys.meta_path.insert(0, IMPORT_GUARD)

# Everything below runs with the guard in place.
import argparse  # noqa: E402
import ast  # noqa: E402
import contextlib  # noqa: E402
import copy  # noqa: E402
import glob  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import zipfile  # noqa: E402

import nibabel  # noqa: E402
import numpy as np  # noqa: E402
import pydicom  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
TEMPLATES = os.path.join(REPO, "src", "Engine", "Mdai", "Templates")
SAMPLE_MMAR = os.path.join(REPO, "samples", "clara_pt_phantom_ct_segmentation")
SERIES = os.path.join(REPO, "tests", "fixtures", "dicom", "series")
PHANTOM = os.path.join(REPO, "samples", "phantom")
STANDIN = os.path.join(HERE, "standin")
STANDIN_HELPERS = ("standin_infer.py", "monai_datalist.py")
# The stand-in for MONAI's bundle runner: a `monai` package put first on the bundle runner's PYTHONPATH.
STANDIN_MONAI = os.path.join(STANDIN, "bundle_monai")
sys.path.insert(0, HERE)
sys.path.insert(0, STANDIN)

from mdai_output_rules import check_outputs  # noqa: E402
from monai_datalist import DatalistError, load_datalist, load_image_path  # noqa: E402
from standin_infer import class_probabilities, label_function  # noqa: E402

TEMPLATE_MODULES = ("mdai_deploy", "mdai_clara_settings", "mdai_clara_workspace", "mdai_clara_dicom",
                    "mdai_clara_output", "mdai_clara_instances", "mdai_clara_eval", "mdai_bundle_workspace")
ORIENTATIONS = ("axial_hfs", "axial_ffs", "axial_flipped_unsigned", "coronal", "sagittal", "oblique")
THREE_CLASSES = {"1": 0, "2": 1, "3": 2}
ONE_HOT_2 = {"content": "one_hot", "channels": 2, "channel_axis": "last"}


# ----------------------------------------------------------------------------------------------------------- cases

def _cases():
    cases = []
    for name in ORIENTATIONS:
        cases.append({"name": "seg_%s_input_grid" % name, "series": name, "grid": {"mode": "input"},
                      "settings": {"label_to_class_index": THREE_CLASSES}})
    for n, name in enumerate(ORIENTATIONS):
        cases.append({"name": "seg_%s_ras_grid" % name, "series": name,
                      "grid": {"mode": "ras", "spacing": 0.6 + 0.05 * n}, "dtype": ("float32", "uint8")[n % 2],
                      "trailing_dim": n % 3 == 0, "settings": {"label_to_class_index": THREE_CLASSES}})
    cases += [
        {"name": "seg_oblique_rotated_grid", "series": "oblique", "grid": {"mode": "rotated", "spacing": 0.55},
         "settings": {"label_to_class_index": None}},
        {"name": "seg_gantry_tilt_input_grid", "series": "gantry_tilt", "grid": {"mode": "input"},
         "settings": {"label_to_class_index": THREE_CLASSES}},
        # The sample's own series: label 3 has no class, so it is left out with a log line.
        {"name": "seg_phantom_input_grid", "series": "phantom", "grid": {"mode": "input"},
         "settings": {"label_to_class_index": {"1": 0, "2": 1}, "class_names": ["organ", "lesion"]},
         "expect_log": ["Label value(s) 3 have no class_index"]},
        {"name": "seg_phantom_ras_2mm", "series": "phantom", "grid": {"mode": "ras", "spacing": 2.0},
         "settings": {"label_to_class_index": None, "datalist_entry": "image_label", "datalist_key": "validation"}},
        {"name": "seg_phantom_rotated_1_7mm", "series": "phantom", "grid": {"mode": "rotated", "spacing": 1.7},
         "settings": {"label_to_class_index": {"1": 4, "2": 4}, "datalist_entry": "image", "datalist_key": "validation"}},
        # Positions drifting from one affine (gaps 8 % long, then 8 % short: accepted, since no gap is 10 % off) by up
        # to 1.5 slices mid-series. On the input grid instance k is voxel plane k, as the model saw it; on another grid
        # each pixel is placed by its own position.
        {"name": "seg_phantom_drifting_input_grid", "series": "phantom", "drift": 0.08, "grid": {"mode": "input"},
         "settings": {"label_to_class_index": THREE_CLASSES}},
        {"name": "seg_phantom_drifting_ras_grid", "series": "phantom", "drift": 0.08,
         "grid": {"mode": "ras", "spacing": 1.9}, "settings": {"label_to_class_index": THREE_CLASSES}},
        {"name": "seg_clara40_layout", "series": "coronal", "layout": "4.0", "grid": {"mode": "input"},
         "settings": {"datalist_entry": "image", "datalist_key": "validation", "separate_folder": False,
                      "output_postfix": "seg"}},
        {"name": "seg_output_elsewhere", "series": "sagittal", "grid": {"mode": "input"},
         "naming": {"subfolder": "predictions", "postfix": "pred"},
         "expect_log": ["not at the expected"]},
        {"name": "seg_mixed_inputs", "series": "axial_hfs", "grid": {"mode": "ras", "spacing": 0.7},
         "extra_files": ["png", "not_dicom", "other_series"],
         "expect_log": ["is image/png", "pydicom cannot read it", "other series ignored"]},
        # A scout image filed in the series (another orientation, ImageType LOCALIZER) is left out, not refused.
        {"name": "seg_localizer_in_series", "series": "axial_hfs", "grid": {"mode": "input"},
         "extra_files": ["localizer"], "settings": {"label_to_class_index": THREE_CLASSES},
         "expect_log": ["Left out 1 localizer image(s)"]},
        {"name": "fail_infer_exit_code", "series": "axial_hfs", "fail": True,
         "expect_error": {"phase": "predict", "type": "RuntimeError",
                          "contains": ["exit code 1", "CUDA out of memory", "log line 72\n", "log line 120\n"],
                          "not_contains": ["log line 71\n"]}},
        {"name": "fail_no_output", "series": "axial_hfs", "no_output": True,
         "expect_error": {"phase": "predict", "type": "RuntimeError",
                          "contains": ["wrote no result", "_trans.nii.gz", "logs/metrics.csv"]}},
        {"name": "fail_multiframe", "series": "enhanced_multiframe",
         "expect_error": {"phase": "predict", "type": "RuntimeError", "contains": ["7 frames", "multi-frame"]}},
        {"name": "fail_missing_slice", "series": "missing_slice",
         "expect_error": {"phase": "predict", "type": "RuntimeError", "contains": ["not evenly spaced"]}},
        {"name": "fail_mixed_orientation", "series": "mixed_orientation",
         "expect_error": {"phase": "predict", "type": "RuntimeError", "contains": ["mixes orientations"]}},
        {"name": "fail_unknown_setting", "series": "axial_hfs", "settings": {"output_spacing": 1},
         "expect_error": {"phase": "init", "type": "RuntimeError", "contains": ["unknown key(s) output_spacing"]}},
        # What the MMAR's saver writes (saved_output): clara4.1_spleen_ct_seg_GettingStarted ends with AsDiscreted(argmax,
        # to_onehot, n_classes 2), so MONAI 0.8.1's NiftiSaver writes (x, y, z, 2) float32 one-hot volumes.
        {"name": "seg_onehot_2class_channel_last_input_grid", "series": "phantom", "grid": {"mode": "input"},
         "settings": {"saved_output": ONE_HOT_2, "label_to_class_index": {"1": 0}, "class_names": ["spleen"]},
         "expect_log": ["one-hot volume of 2 classes, shape"]},
        {"name": "seg_onehot_2class_channel_last_ras_grid", "series": "coronal", "grid": {"mode": "ras", "spacing": 0.7},
         "settings": {"saved_output": ONE_HOT_2, "label_to_class_index": None}},
        {"name": "seg_onehot_4class_no_squeeze_input_grid", "series": "axial_ffs", "grid": {"mode": "input"},
         "squeeze_end_dims": False,
         "settings": {"saved_output": {"content": "one_hot", "channels": 4, "channel_axis": "last"},
                      "label_to_class_index": THREE_CLASSES}},
        {"name": "seg_probabilities_4class_rotated_grid", "series": "oblique", "grid": {"mode": "rotated", "spacing": 0.6},
         "settings": {"saved_output": {"content": "probabilities", "channels": 4, "channel_axis": "last"},
                      "label_to_class_index": THREE_CLASSES},
         "expect_log": ["class probabilities of 4 classes"]},
        {"name": "seg_probabilities_unknown_count_input_grid", "series": "sagittal", "grid": {"mode": "input"},
         "saver_writes": {"channels": 4},
         "settings": {"saved_output": {"content": "probabilities", "channels": None, "channel_axis": "last"},
                      "label_to_class_index": THREE_CLASSES}},
        {"name": "seg_onehot_channel_first_input_grid", "series": "axial_hfs", "grid": {"mode": "input"},
         "settings": {"saved_output": {"content": "one_hot", "channels": 4, "channel_axis": "first"},
                      "label_to_class_index": THREE_CLASSES}},
        {"name": "fail_saved_onehot_where_labels_expected", "series": "axial_hfs", "grid": {"mode": "input"},
         "saver_writes": {"content": "one_hot", "channels": 2},
         "expect_error": {"phase": "predict", "type": "RuntimeError",
                          "contains": ["has shape (", ", 2)", "end with a label map (one value per voxel)",
                                       "Regenerate the package"]}},
        {"name": "fail_saved_labels_where_onehot_expected", "series": "axial_hfs", "grid": {"mode": "input"},
         "settings": {"saved_output": ONE_HOT_2}, "saver_writes": {"content": "labels"},
         "expect_error": {"phase": "predict", "type": "RuntimeError",
                          "contains": ["writes a one-hot volume (x, y, z, 2), channels last"]}},
        {"name": "fail_saved_wrong_channel_count", "series": "axial_hfs", "grid": {"mode": "input"},
         "settings": {"saved_output": {"content": "one_hot", "channels": 3, "channel_axis": "last"}},
         "saver_writes": {"channels": 2},
         "expect_error": {"phase": "predict", "type": "RuntimeError", "contains": ["(x, y, z, 3)", ", 2)"]}},
        {"name": "fail_saved_output_missing", "series": "axial_hfs", "settings": {"saved_output": None},
         "expect_error": {"phase": "init", "type": "RuntimeError", "contains": ["'saved_output' must be an object"]}},
        # The datalist as Clara reads it (MONAI 0.8.1's load_decathlon_datalist in the stand-in): "test" items are
        # wrapped as {"image": item}, so the settings must say "path" there; other keys need objects.
        {"name": "fail_settings_objects_under_test", "series": "axial_hfs",
         "settings": {"datalist_key": "test", "datalist_entry": "image"},
         "expect_error": {"phase": "init", "type": "RuntimeError",
                          "contains": ["must be \"path\" for the key \"test\"", "load_decathlon_datalist"]}},
        {"name": "fail_clara_paths_under_another_key", "series": "axial_hfs", "grid": {"mode": "input"},
         "settings": {"datalist_key": "validation", "datalist_entry": "path"},
         "expect_error": {"phase": "predict", "type": "RuntimeError",
                          "contains": ["exit code 1", "Every item in items must be a dict but got str"]}},
        {"name": "cls_multi_label", "task": "classification", "series": "axial_hfs", "instances": [0, 2, 3, 5],
         "classes": {"count": 5, "multi_label": True, "threshold": 0.5, "quiet": [2]},
         "settings": {"datalist_entry": "image", "datalist_key": "validation"}},
        {"name": "cls_single_label_one_instance", "task": "classification", "series": "coronal", "instances": [4],
         "classes": {"count": 3, "multi_label": False, "threshold": 0.5},
         "settings": {"datalist_entry": "image_label", "datalist_key": "validation"}},
        {"name": "cls_single_label_csv_in_subfolder", "task": "classification", "series": "sagittal",
         "instances": [1, 3, 6], "classes": {"count": 4, "multi_label": False, "threshold": 0.5},
         "csv_subfolder": "classification", "extra_files": ["png"], "settings": {"datalist_entry": "path"},
         "expect_log": ["is image/png"]},
    ]
    return cases


CASES = _cases()

# With --package: the same checks on a package New-MdaiModelPackage made (its own mdai_deploy.py, settings and MMAR),
# with only commands/infer.sh swapped for the stand-in.
PACKAGE_CASES = [
    {"name": "pkg_phantom_input_grid", "series": "phantom", "grid": {"mode": "input"}},
    {"name": "pkg_phantom_rotated_grid", "series": "phantom", "grid": {"mode": "rotated", "spacing": 1.7}},
    {"name": "pkg_axial_ffs_ras_grid", "series": "axial_ffs", "grid": {"mode": "ras", "spacing": 0.65}},
    {"name": "pkg_axial_flipped_unsigned_input_grid", "series": "axial_flipped_unsigned", "grid": {"mode": "input"}},
    {"name": "pkg_coronal_rotated_grid", "series": "coronal", "grid": {"mode": "rotated", "spacing": 0.55}},
    {"name": "pkg_oblique_input_grid", "series": "oblique", "grid": {"mode": "input"}},
    {"name": "pkg_phantom_drifting_input_grid", "series": "phantom", "drift": 0.08, "grid": {"mode": "input"}},
    {"name": "pkg_phantom_drifting_rotated_grid", "series": "phantom", "drift": 0.08,
     "grid": {"mode": "rotated", "spacing": 1.7}},
]
# The same for a classification package; the class count and multi-label come from the package itself.
PACKAGE_CLASSIFICATION_CASES = [
    {"name": "pkg_cls_some_instances", "task": "classification", "series": "axial_hfs", "instances": [0, 2, 3, 5],
     "classes": {"quiet": [2]}},
    {"name": "pkg_cls_whole_series", "task": "classification", "series": "coronal", "classes": {}},
]
# With --package on a MONAI-bundle package: the same segmentation checks, the bundle run by the stand-in for MONAI's
# bundle runner (standin/bundle_monai) instead of MONAI, plus the bundle left untouched and the runner's overrides.
BUNDLE_PACKAGE_CASES = [
    {"name": "bundle_phantom_input_grid", "series": "phantom", "grid": {"mode": "input"}},
    {"name": "bundle_phantom_rotated_grid", "series": "phantom", "grid": {"mode": "rotated", "spacing": 1.7}},
    {"name": "bundle_axial_ffs_ras_grid", "series": "axial_ffs", "grid": {"mode": "ras", "spacing": 0.65}},
    {"name": "bundle_oblique_input_grid", "series": "oblique", "grid": {"mode": "input"}},
    {"name": "bundle_coronal_rotated_grid", "series": "coronal", "grid": {"mode": "rotated", "spacing": 0.55}},
    {"name": "bundle_fail_runner_exit_code", "series": "axial_hfs", "fail": True,
     "expect_error": {"phase": "predict", "type": "RuntimeError",
                      "contains": ["exit code 1", "CUDA out of memory", "MONAI's bundle workflow"]}},
    {"name": "bundle_fail_no_output", "series": "axial_hfs", "no_output": True,
     "expect_error": {"phase": "predict", "type": "RuntimeError", "contains": ["wrote no NIfTI named after"]}},
]
# With --package on a MONAI-bundle classifier package: the classification checks, the CSV written by the stand-in from
# what the bundle's own config and metadata say (saver, argmax or sigmoid, class count), each instance as the file the
# package's settings say (the DICOM as sent, or a PNG of its pixels).
BUNDLE_CLASSIFICATION_CASES = [
    {"name": "bundle_cls_some_instances", "task": "classification", "series": "axial_hfs", "instances": [0, 2, 3, 5],
     "classes": {"quiet": [2]}},
    {"name": "bundle_cls_whole_series", "task": "classification", "series": "coronal", "classes": {}},
    {"name": "bundle_cls_fail_no_csv", "task": "classification", "series": "sagittal", "instances": [1], "classes": {},
     "no_output": True, "expect_error": {"phase": "predict", "type": "MdaiClaraError", "contains": ["wrote no"]}},
]
DUMP = None


# ------------------------------------------------------------------------------------------------ the fake package

def _series_files(series):
    folder = os.path.join(PHANTOM, "dicom") if series == "phantom" else os.path.join(SERIES, series)
    return sorted(p for p in glob.glob(os.path.join(folder, "*")) if os.path.isfile(p))


def _settings(case):
    task = case.get("task", "segmentation")
    settings = {
        "generator": "MdaiClara 0.1.0",
        "task": task,
        "clara_version": "4.0" if case.get("layout") == "4.0" else "4.1.0",
        "mmar_root": "clara_pt_standin_1" if case.get("layout") == "4.0" else ".",
        "environment_json": "config/environment.json",
        "inference_config": "config/config_inference.json",
        "dataset_json": "config/dataset_0.json",
        "datalist_key": "test",
        "datalist_entry": "path",
        "output_postfix": "trans",
        "output_ext": ".nii.gz",
        "separate_folder": True,
        "saved_output": {"content": "labels", "channels": 1, "channel_axis": "last"},
        "label_to_class_index": {"1": 0, "2": 1},
        "class_names": ["a", "b"],
    }
    if task == "classification":
        c = case["classes"]
        settings["classification"] = {"csv": "predictions.csv", "multi_label": c["multi_label"],
                                      "threshold": c["threshold"]}
        settings["class_names"] = ["class %d" % k for k in range(c["count"])]
        settings["label_to_class_index"] = None
        del settings["saved_output"]
    settings.update(case.get("settings", {}))
    return settings


def _build_package(case, root, settings):
    """model/.mdai and model/workspace for this case; returns (mdai folder, workspace, MMAR folder)."""
    model = os.path.join(root, "model")
    mdai = os.path.join(model, ".mdai")
    workspace = os.path.join(model, "workspace")
    mmar = os.path.normpath(os.path.join(workspace, settings["mmar_root"]))
    for folder in (mdai, os.path.join(mmar, "config"), os.path.join(mmar, "commands")):
        os.makedirs(folder)
    task = settings["task"]
    shutil.copy(os.path.join(TEMPLATES, "mdai_deploy_%s.py" % task), os.path.join(mdai, "mdai_deploy.py"))
    for helper in glob.glob(os.path.join(TEMPLATES, "mdai_clara_*.py")):
        shutil.copy(helper, mdai)
    _write_json(os.path.join(mdai, "mdai_clara.json"), settings)

    for name in ("environment.json", "config_inference.json", "dataset_0.json"):
        shutil.copy(os.path.join(SAMPLE_MMAR, "config", name), os.path.join(mmar, "config", name))
    shutil.copy(os.path.join(SAMPLE_MMAR, "commands", "set_env.sh"), os.path.join(mmar, "commands"))
    shutil.copy(os.path.join(STANDIN, "infer.sh"), os.path.join(mmar, "commands", "infer.sh"))
    for helper in STANDIN_HELPERS:
        shutil.copy(os.path.join(STANDIN, helper), os.path.join(mmar, "commands"))
    dataset_path = os.path.join(mmar, "config", "dataset_0.json")
    dataset = _read_json(dataset_path)
    shape, key = settings["datalist_entry"], settings["datalist_key"]
    # The MMAR's own datalist under the key has the shape the settings name, as MdaiClara's analysis found it.
    dataset[key] = ["phantom_ct.nii.gz" if shape == "path" else {"image": "phantom_ct.nii.gz"} if shape == "image"
                    else {"image": "phantom_ct.nii.gz", "label": "phantom_truth.nii.gz"}]
    _write_json(dataset_path, dataset)
    env_path = os.path.join(mmar, "config", "environment.json")
    env = _read_json(env_path)
    env["INFER_DATALIST_KEY"] = key  # the sample's config reads "data_list_key": "{INFER_DATALIST_KEY}"
    if task == "classification":
        env["PROCESSING_TASK"] = "classification"
        env["OUTPUT_CHANNELS"] = case["classes"]["count"]
    _write_json(env_path, env)
    if case.get("layout") == "4.0":
        _write_json(os.path.join(workspace, "config_mdai.json"),
                    {"type": task, "root_folder": settings["mmar_root"], "out_classes": 3,
                     "data_list_key": settings["datalist_key"]})
    return mdai, workspace, mmar


def _unpack_package(case, root):
    """The package as MD.ai's builder would unpack it, with the MMAR's infer.sh replaced by the stand-in (which then
    reads the inference config and environment file the real one names)."""
    with zipfile.ZipFile(case["package"]) as archive:
        archive.extractall(root)
    model = os.path.join(root, "model")
    mdai = os.path.join(model, ".mdai")
    workspace = os.path.join(model, "workspace")
    settings = _read_json(os.path.join(mdai, "mdai_clara.json"))
    if settings.get("package") == "monai_bundle":
        # The bundle runs in a child process; the stand-in `monai` goes first on its PYTHONPATH. The work folder is
        # outside model/ (which MD.ai's Python images copy read-only).
        os.environ["PYTHONPATH"] = STANDIN_MONAI
        return settings, mdai, os.path.join(root, "work"), os.path.normpath(os.path.join(model, settings["bundle_root"]))
    mmar = os.path.normpath(os.path.join(workspace, settings["mmar_root"]))
    infer = os.path.join(mmar, "commands", "infer.sh")
    if not os.path.isfile(infer):
        raise RuntimeError("the package has no %s" % os.path.relpath(infer, root))
    with open(os.path.join(STANDIN, "infer.sh")) as f:
        script = f.read()
    script = script.replace("CONFIG_FILE=config/config_inference.json", "CONFIG_FILE=" + settings["inference_config"])
    script = script.replace("ENVIRONMENT_FILE=config/environment.json", "ENVIRONMENT_FILE=" + settings["environment_json"])
    with open(infer, "w") as f:
        f.write(script)
    for helper in STANDIN_HELPERS:
        shutil.copy(os.path.join(STANDIN, helper), os.path.join(mmar, "commands"))
    return settings, mdai, workspace, mmar


def _inputs(case, files):
    """MD.ai's input dict: the series' files (or chosen instances) in a shuffled order, plus the case's extras."""
    if "instances" in case:
        by_order = _geometric_order([pydicom.dcmread(p) for p in files], files)
        files = [by_order[k][1] for k in case["instances"]]
    items = [{"content": open(p, "rb").read(), "content_type": "application/dicom"} for p in files]
    if case.get("drift"):
        items = _drifted(items, case["drift"])
    for extra in case.get("extra_files", []):
        if extra == "png":
            items.append({"content": b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "content_type": "image/png"})
        elif extra == "not_dicom":
            items.append({"content": b"this is not a DICOM file", "content_type": "application/dicom"})
        elif extra == "localizer":
            series = pydicom.dcmread(files[0], stop_before_pixels=True)
            scout = pydicom.dcmread(_series_files("coronal")[0])
            scout.StudyInstanceUID = series.StudyInstanceUID
            scout.SeriesInstanceUID = series.SeriesInstanceUID
            scout.SOPInstanceUID = str(series.SOPInstanceUID) + ".999"
            scout.ImageType = ["ORIGINAL", "PRIMARY", "LOCALIZER"]
            buffer = io.BytesIO()
            scout.save_as(buffer, write_like_original=True)
            items.append({"content": buffer.getvalue(), "content_type": "application/dicom"})
        elif extra == "other_series":
            for p in _series_files("coronal")[:2]:
                items.append({"content": open(p, "rb").read(), "content_type": "application/dicom"})
    random.Random(case["name"]).shuffle(items)
    return {"files": items, "annotations": [], "args": {}}


def _drifted(items, fraction):
    """The series with slice k moved along the normal by fraction * step * min(k, n - 1 - k): gaps (1 + fraction) *
    step in the first half and (1 - fraction) * step in the second, first and last slices where they were."""
    datasets = [pydicom.dcmread(io.BytesIO(item["content"])) for item in items]
    order = _geometric_order(datasets)
    n = len(order)
    first = np.array([float(v) for v in order[0][0].ImagePositionPatient])
    last = np.array([float(v) for v in order[-1][0].ImagePositionPatient])
    step = (last - first) / (n - 1)
    for k, (ds, _) in enumerate(order):
        moved = np.array([float(v) for v in ds.ImagePositionPatient]) + step * fraction * min(k, n - 1 - k)
        ds.ImagePositionPatient = ["%.6f" % v for v in moved]
    result = []
    for ds in datasets:
        buffer = io.BytesIO()
        ds.save_as(buffer, write_like_original=True)
        result.append({"content": buffer.getvalue(), "content_type": "application/dicom"})
    return result


def _standin_behaviour(case, settings, workspace, instances, record_path):
    behaviour = {
        "task": settings["task"],
        "record": record_path,
        "expect_env": {"DATA_ROOT": os.path.join(workspace, "data"),
                       "MMAR_EVAL_OUTPUT_PATH": os.path.join(workspace, "eval")},
        "fail": bool(case.get("fail")),
        "no_output": bool(case.get("no_output")),
    }
    if settings["task"] == "classification":
        c = case["classes"]
        quiet = [str(instances[k].SOPInstanceUID) for k in range(len(instances)) if k in c.get("quiet", [])]
        behaviour.update({"classes": {"count": c["count"], "multi_label": c["multi_label"], "quiet": quiet},
                          "csv": settings["classification"]["csv"], "csv_subfolder": case.get("csv_subfolder", "")})
        return behaviour
    naming = {"postfix": settings["output_postfix"], "ext": settings["output_ext"],
              "separate_folder": settings["separate_folder"]}
    naming.update(case.get("naming", {}))
    # What the saver writes: as the settings describe it, unless the case makes the MMAR write something else.
    saved = dict(settings.get("saved_output") or {"content": "labels", "channel_axis": "last"})
    saved.update(case.get("saver_writes", {}))
    classes = saved.get("channels") if saved["content"] != "labels" else case.get("label_classes")
    behaviour.update({"grid": case.get("grid", {"mode": "input"}), "dtype": case.get("dtype", "float32"),
                      "drift": case.get("drift", 0),
                      "trailing_dim": bool(case.get("trailing_dim")), "naming": naming,
                      "labels": _label_spec(instances), "saved": saved, "label_classes": classes,
                      "squeeze_end_dims": case.get("squeeze_end_dims", True),
                      "truth": os.path.join(os.path.dirname(record_path), "standin_truth.nii.gz")})
    return behaviour


def _label_spec(instances):
    """Label-function parameters from the series' extent: an off-centre sphere, a plane off the middle, and an
    intensity threshold at the 80th percentile (values known to the harness only through the DICOM pixels). Series
    the code must refuse may lack the geometry; they get parameters that are never used."""
    if not all("ImagePositionPatient" in ds and "ImageOrientationPatient" in ds for ds in instances):
        return {"center": [0.0, 0.0, 0.0], "radius": 1.0, "x0": 0.0, "threshold": None}
    points = np.concatenate([_pixel_world(ds).reshape(-1, 3) for ds in instances])
    low, high = points.min(axis=0), points.max(axis=0)
    extent = np.maximum(high - low, 1e-3)
    middle = (low + high) / 2
    values = np.concatenate([_pixel_values(ds).ravel() for ds in instances])
    return {"center": (middle + extent * np.array([0.17, -0.21, 0.13])).tolist(),
            "radius": float(0.31 * np.linalg.norm(extent)),
            "x0": float(middle[0] + 0.113 * extent[0]),
            "threshold": float(np.percentile(values, 80)) + 0.5}


# ---------------------------------------------------------------------------- the harness's own geometry (independent)

def _pixel_world(ds):
    """RAS mm of each pixel centre (rows, columns, 3), from this instance's own tags."""
    position = np.array([float(v) for v in ds.ImagePositionPatient])
    cosines = np.array([float(v) for v in ds.ImageOrientationPatient])
    along_row = cosines[:3] / np.linalg.norm(cosines[:3])  # direction of increasing column index
    along_column = cosines[3:] / np.linalg.norm(cosines[3:])  # direction of increasing row index
    between_rows, between_columns = (float(v) for v in ds.PixelSpacing)
    rows = np.arange(int(ds.Rows)).reshape(-1, 1, 1)
    columns = np.arange(int(ds.Columns)).reshape(1, -1, 1)
    lps = position + columns * between_columns * along_row + rows * between_rows * along_column
    return lps * np.array([-1.0, -1.0, 1.0])


def _pixel_values(ds):
    return ds.pixel_array.astype(np.float64) * float(ds.get("RescaleSlope", 1) or 1) + float(
        ds.get("RescaleIntercept", 0) or 0)


def _geometric_order(datasets, tags=None):
    cosines = np.array([float(v) for v in datasets[0].ImageOrientationPatient])
    normal = np.cross(cosines[:3], cosines[3:])
    keyed = [(float(np.dot([float(v) for v in ds.ImagePositionPatient], normal)), n) for n, ds in enumerate(datasets)]
    return [(datasets[n], tags[n] if tags is not None else None) for _, n in sorted(keyed)]


def _nearest_label(world, volume, affine):
    inverse = np.linalg.inv(affine)
    voxel = world.dot(inverse[:3, :3].T) + inverse[:3, 3]
    index = np.floor(voxel + 0.5 + 1e-6).astype(int)
    inside = np.all((index >= 0) & (index < np.array(volume.shape)), axis=-1)
    labels = np.zeros(world.shape[:-1], dtype=np.int64)
    picked = index[inside]
    labels[inside] = volume[picked[:, 0], picked[:, 1], picked[:, 2]]
    return labels


def _load_labels(path):
    image = nibabel.load(path)
    data = np.asanyarray(image.dataobj)
    while data.ndim > 3:
        data = data[..., 0]
    return np.rint(data).astype(np.int64), np.asarray(image.affine, dtype=np.float64)


# ------------------------------------------------------------------------------------------------------ the checks

def _expected_segmentation(instances, settings, standin, record):
    """Per instance in geometric order: the expected label at every pixel and, on the input grid, the label function
    evaluated directly at the pixel's world point and DICOM value."""
    volume, affine = _load_labels(record["truth"])
    expected = []
    for k, (ds, _) in enumerate(_geometric_order(instances)):
        world = _pixel_world(ds)
        if standin["grid"]["mode"] == "input" and standin.get("drift"):
            # The input grid of a drifting stack: the labels of the voxel plane the instance became.
            expected.append((ds, volume[:, :, k].T, None))
            continue
        labels = _nearest_label(world, volume, affine)
        direct = None
        if standin["grid"]["mode"] == "input":
            direct = label_function(world, _pixel_values(ds), standin["labels"],
                                    standin.get("label_classes")).astype(np.int64)
        expected.append((ds, labels, direct))
    return expected


def _class_masks(labels, settings):
    mapping = settings.get("label_to_class_index")
    masks = {}
    for value in sorted(set(labels[labels > 0].tolist())):
        class_index = value - 1 if mapping is None else mapping.get(str(value))
        if class_index is not None:
            masks[class_index] = masks.get(class_index, np.zeros(labels.shape, bool)) | (labels == value)
    return masks


def _check_segmentation(outputs, expected, settings, report):
    problems = report["problems"]
    wanted, chain_mismatch = [], 0
    for ds, labels, direct in expected:
        uids = (str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID))
        if direct is not None:
            chain_mismatch += int(np.sum(direct != labels))
        masks = _class_masks(labels, settings)
        if masks:
            wanted += [(uids, "ANNOTATION", k, masks[k]) for k in sorted(masks)]
        else:
            wanted.append((uids, "NONE", None, None))
    got = [((o.get("study_uid"), o.get("series_uid"), o.get("instance_uid")), o.get("type"), o.get("class_index"),
            np.array(o["data"]["mask"], dtype=np.int64) if isinstance(o.get("data"), dict) else None)
           for o in outputs]
    keys_wanted = [(w[0], w[1], w[2]) for w in wanted]
    keys_got = [(g[0], g[1], g[2]) for g in got]
    if keys_wanted != keys_got:
        first = next((n for n, (a, b) in enumerate(zip(keys_wanted, keys_got)) if a != b),
                     min(len(keys_wanted), len(keys_got)))
        problems.append("outputs differ from the expected (instance, type, class) sequence at position %d: expected "
                        "%s, got %s (%d expected, %d returned)"
                        % (first, _short(keys_wanted[first:first + 1]), _short(keys_got[first:first + 1]),
                           len(keys_wanted), len(keys_got)))
    mismatching = 0
    got_by_key = {(g[0][2], g[2]): g[3] for g in got if g[1] == "ANNOTATION"}
    for uids, kind, k, mask in wanted:
        if kind != "ANNOTATION":
            continue
        returned = got_by_key.pop((uids[2], k), None)
        if returned is None or returned.shape != mask.shape:
            mismatching += int(mask.sum())
        else:
            mismatching += int(np.sum(returned.astype(bool) != mask))
    for returned in got_by_key.values():  # annotations nobody expected
        mismatching += int(np.sum(returned != 0))
    report["mismatching_pixels"] = mismatching
    report["chain_mismatching_pixels"] = chain_mismatch if expected and expected[0][2] is not None else None
    report["foreground_pixels"] = int(sum(int(np.sum(labels > 0)) for _, labels, _ in expected))
    report["labels_seen"] = sorted(set(int(v) for _, labels, _ in expected for v in np.unique(labels) if v > 0))
    if mismatching:
        problems.append("%d mask pixel(s) differ from the label expected at their position" % mismatching)
    if chain_mismatch:
        problems.append("%d pixel(s): the label at the pixel's own world point and value differs from the label the "
                        "stand-in gave the voxel there (the NIfTI written for the model misplaces voxels)"
                        % chain_mismatch)


def _short(keys):
    return [(k[0][2][-12:], k[1], k[2]) for k in keys]


def _check_input_nifti(case, instances, workspace, report):
    """The NIfTI the code wrote for the model against the truth: the fixture's JSON, or the sample's own NIfTI."""
    problems = report["problems"]
    series_uid = str(instances[0].SeriesInstanceUID)
    path = os.path.join(workspace, "data", series_uid + ".nii.gz")
    if not os.path.isfile(path):
        problems.append("no input NIfTI at %s" % path)
        return
    image = nibabel.load(path)
    header = image.header
    report["input_nifti"] = {"dtype": str(image.get_data_dtype()), "shape": list(image.shape),
                             "sform_code": int(header["sform_code"]), "qform_code": int(header["qform_code"])}
    if int(header["sform_code"]) != 1 or int(header["qform_code"]) != 1:
        problems.append("input NIfTI sform/qform codes are %d/%d, not 1/1" % (header["sform_code"], header["qform_code"]))
    if case["series"] == "phantom":
        truth = nibabel.as_closest_canonical(nibabel.load(os.path.join(PHANTOM, "phantom_ct.nii.gz")))
        mine = nibabel.as_closest_canonical(image)
        truth_affine, truth_values = truth.affine, np.asanyarray(truth.dataobj)
        affine, values = mine.affine, np.asanyarray(mine.dataobj)
    else:
        with open(os.path.join(SERIES, case["series"] + ".json")) as f:
            truth = json.load(f)
        truth_affine = np.array(truth["affine_ras"])
        cols, rows, slices = truth["shape_col_row_slice"]
        truth_values = np.array(truth["values_slice_row_col"]).reshape(slices, rows, cols).transpose(2, 1, 0)
        affine, values = image.affine, np.asanyarray(image.dataobj)
    if values.shape != truth_values.shape:
        problems.append("input NIfTI shape %s, truth %s" % (values.shape, truth_values.shape))
    elif not np.array_equal(values.astype(np.float64), truth_values.astype(np.float64)):
        problems.append("input NIfTI voxels differ from the truth at %d voxel(s)" % int(np.sum(values != truth_values)))
    if np.max(np.abs(np.asarray(affine) - truth_affine)) > 1e-4:
        problems.append("input NIfTI affine %s, truth %s" % (np.round(affine, 4).tolist(), truth_affine.tolist()))
    sheared = abs(abs(np.linalg.det(truth_affine[:3, :3])) - np.prod(np.linalg.norm(truth_affine[:3, :3], axis=0))) > 1e-6
    # The qform's quaternion is float32 and its first component is derived, so near 180-degree rotations it is off
    # by a few 1e-4 (nibabel and dcm2niix alike); readers that prefer the sform (nibabel, MONAI) see the exact one.
    if not sheared and np.max(np.abs(image.get_qform() - image.get_sform())) > 1e-3:
        problems.append("input NIfTI qform and sform differ")
    if np.all(np.mod(truth_values, 1) == 0) and str(image.get_data_dtype()) != "int16":
        problems.append("input NIfTI is %s; integral values in range should be int16" % image.get_data_dtype())


def _check_mmar_edits(settings, workspace, mmar, originals, written_inputs, report):
    problems = report["problems"]
    env = _read_json(os.path.join(mmar, settings["environment_json"]))
    want_env = dict(originals["env"], DATA_ROOT=os.path.join(workspace, "data"),
                    MMAR_EVAL_OUTPUT_PATH=os.path.join(workspace, "eval"))
    if env != want_env:
        problems.append("environment.json is %s, expected %s" % (env, want_env))
    config = _read_json(os.path.join(mmar, settings["inference_config"]))
    want_config = copy.deepcopy(originals["config"])
    want_config["dataloader"]["args"].update(batch_size=1, num_workers=0)
    if config != want_config:
        problems.append("config_inference.json changed beyond dataloader batch_size/num_workers")
    dataset = _read_json(os.path.join(mmar, settings["dataset_json"]))
    shape = settings["datalist_entry"]
    want_entries = [p if shape == "path" else ({"image": p} if shape == "image" else {"image": p, "label": None})
                    for p in written_inputs]
    want_dataset = dict(originals["dataset"], **{settings["datalist_key"]: want_entries})
    if dataset != want_dataset:
        problems.append("dataset JSON %s is %s, expected %s" % (settings["datalist_key"],
                                                                dataset.get(settings["datalist_key"]), want_entries))


def _bundle_standin_behaviour(case, settings, instances, record_path):
    """What the stand-in bundle runner writes: the segmentation behaviour of the MMAR stand-in; the SaveImaged naming
    comes from the bundle's own config (the stand-in reads it). A classifier's saver, content and classes the stand-in
    reads from the bundle too; the behaviour names only the quiet instances."""
    if settings["task"] == "classification":
        quiet = [str(instances[k].SOPInstanceUID) for k in case["classes"].get("quiet", [])]
        return {"task": "classification", "record": record_path, "fail": bool(case.get("fail")),
                "no_output": bool(case.get("no_output")), "quiet": quiet}
    behaviour = {"task": "segmentation", "record": record_path, "fail": bool(case.get("fail")),
                 "grid": case.get("grid", {"mode": "input"}), "dtype": case.get("dtype", "float32"),
                 "drift": case.get("drift", 0), "trailing_dim": False, "saved": settings["saved_output"],
                 "label_classes": None, "squeeze_end_dims": True, "labels": _label_spec(instances),
                 "truth": os.path.join(os.path.dirname(record_path), "standin_truth.nii.gz")}
    behaviour["no_output"] = bool(case.get("no_output"))
    return behaviour


def _tree_digest(folder):
    digests = {}
    for path in sorted(glob.glob(os.path.join(folder, "**"), recursive=True)):
        if os.path.isfile(path):
            with open(path, "rb") as f:
                digests[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return digests


def _check_bundle_run(settings, workspace, bundle, originals, written_inputs, record, report):
    """The bundle is left as packaged; the runner got the bundle's own files and only the three overrides."""
    problems = report["problems"]
    if _tree_digest(bundle) != originals:
        problems.append("the bundle folder changed during the run (it must stay read-only)")
    key = settings.get("datalist_key")
    want = {"bundle_root": bundle, settings.get("datalist_id", "datalist"):
            [p if key is None else {key: p} for p in written_inputs], "output_dir": os.path.join(workspace, "eval")}
    if record.get("overrides") != want:
        problems.append("the bundle runner got overrides %s, expected %s" % (record.get("overrides"), want))


def _check_classification(case, outputs, instances, settings, workspace, sent, report, record=None):
    """Every output against the stand-in's values for its instance; for a bundle, what the stand-in wrote (its record:
    class count, sigmoid or not, probabilities, one-hot or class index) decides them, not the package's settings."""
    problems = report["problems"]
    c = dict(case["classes"])
    content = "probabilities"
    if record is not None and "content" in record:
        c.update(count=record["classes"], multi_label=record["multi_label"])
        content = record["content"]
    threshold = settings["classification"]["threshold"]
    file_format = settings["classification"].get("input", "dicom")
    quiet = [str(instances[k].SOPInstanceUID) for k in c.get("quiet", [])]
    expected = []
    for ds in instances:
        sop = str(ds.SOPInstanceUID)
        uids = {"study_uid": str(ds.StudyInstanceUID), "series_uid": str(ds.SeriesInstanceUID), "instance_uid": sop}
        p = class_probabilities(sop, c["count"], c["multi_label"], sop in quiet)
        if content != "probabilities":
            p = [1.0 if k == int(np.argmax(p)) else 0.0 for k in range(c["count"])]
        if c["multi_label"]:
            hits = [dict({"type": "ANNOTATION"}, class_index=k, probability=float(v), **uids)
                    for k, v in enumerate(p) if v >= threshold]
            expected += hits or [dict({"type": "NONE"}, **uids)]
        else:
            best = int(np.argmax(p))
            expected.append(dict({"type": "ANNOTATION"}, class_index=best, **uids,
                                 probability=[{"class_index": k, "probability": float(v)} for k, v in enumerate(p)]))
        if file_format == "png":
            on_disk = os.path.join(workspace, "data", sop + ".png")
            pixels = _read_png(on_disk) if os.path.isfile(on_disk) else None
            stored = ds.pixel_array.astype(np.int64)
            if pixels is None or not np.array_equal(pixels, stored - min(int(stored.min()), 0)):
                problems.append("%s was not written as a PNG of its pixels to %s" % (sop, on_disk))
        else:
            on_disk = os.path.join(workspace, "data", sop + ".dcm")
            if not os.path.isfile(on_disk) or open(on_disk, "rb").read() != sent[sop]:
                problems.append("%s was not written as sent to %s" % (sop, on_disk))
    if outputs != expected:
        wrong = sum(1 for a, b in zip(outputs, expected) if a != b) + abs(len(outputs) - len(expected))
        problems.append("%d output(s) differ from the stand-in's probabilities for their instance (first expected %s, "
                        "got %s)" % (wrong, expected[:1], outputs[:1]))
    report["mismatching_outputs"] = sum(1 for a, b in zip(outputs, expected) if a != b) + abs(
        len(outputs) - len(expected))
    report["content"] = content


def _read_png(path):
    """A PNG's pixels (rows x columns, x 3 for RGB), for PNGs of filter type 0 as the interface code writes them."""
    import struct
    import zlib

    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if zlib.crc32(kind + body) & 0xFFFFFFFF != struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0]:
            return None
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour = header[:4]
    channels = 3 if colour == 2 else 1
    dtype = np.uint8 if depth == 8 else np.dtype(">u2")
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, -1)
    if np.any(raw[:, 0] != 0):
        return None  # a filter other than none
    pixels = np.frombuffer(raw[:, 1:].tobytes(), dtype=dtype).reshape(height, width, channels)
    return (pixels[..., 0] if channels == 1 else pixels).astype(np.int64)


def _check_error(case, error, report):
    problems = report["problems"]
    want = case.get("expect_error")
    if want is None:
        if error is not None:
            problems.append("%s raised %s: %s" % (error["phase"], error["type"], error["message"]))
        return
    if error is None:
        problems.append("expected an error in %s, but none was raised" % want["phase"])
        return
    if error["phase"] != want["phase"]:
        problems.append("the error came in %s, expected in %s" % (error["phase"], want["phase"]))
    if want["type"] not in error["types"]:
        problems.append("raised %s, expected a %s" % (error["type"], want["type"]))
    for text in want.get("contains", []):
        if text not in error["message"]:
            problems.append("the error message lacks %r" % text)
    for text in want.get("not_contains", []):
        if text in error["message"]:
            problems.append("the error message should not hold %r" % text)


# ------------------------------------------------------------------------------------------------------- one case

def run_case(case, keep=False):
    root = tempfile.mkdtemp(prefix="mdai-deploy-")
    report = {"name": case["name"], "task": case.get("task", "segmentation"), "problems": []}
    try:
        _run_case(case, root, report)
    except Exception:
        report["problems"].append("harness failure: " + traceback.format_exc())
    finally:
        if keep:
            report["folder"] = root
        else:
            shutil.rmtree(root, ignore_errors=True)
    report["ok"] = not report["problems"]
    return report


def _run_case(case, root, report):
    if "package" in case:
        settings, mdai, workspace, mmar = _unpack_package(case, root)
    else:
        settings = _settings(case)
        mdai, workspace, mmar = _build_package(case, root, settings)
    files = _series_files(case["series"])
    data = _inputs(case, files)
    # The case's own series as sent (other series and non-DICOM extras are what the code must ignore).
    series_uid = str(pydicom.dcmread(files[0], stop_before_pixels=True).SeriesInstanceUID)
    sent = []
    for item in data["files"]:
        if item["content_type"] != "application/dicom":
            continue
        try:
            ds = pydicom.dcmread(io.BytesIO(item["content"]))
        except Exception:
            continue
        image_type = ds.get("ImageType", [])
        image_type = [image_type] if isinstance(image_type, str) else [str(v) for v in image_type]
        if str(ds.SeriesInstanceUID) == series_uid and "LOCALIZER" not in image_type:
            sent.append((ds, item["content"]))
    instances = [ds for ds, _ in sent]
    record_path = os.path.join(root, "standin_record.json")
    bundle = settings.get("package") == "monai_bundle"
    if bundle:
        behaviour = _bundle_standin_behaviour(case, settings, instances, record_path)
        os.environ["MDAI_STANDIN_BEHAVIOUR"] = os.path.join(root, "standin.json")
        _write_json(os.environ["MDAI_STANDIN_BEHAVIOUR"], behaviour)
        originals = _tree_digest(mmar)
    else:
        behaviour = _standin_behaviour(case, settings, workspace, instances, record_path)
        _write_json(os.path.join(mmar, "commands", "standin.json"), behaviour)
        originals = {"env": _read_json(os.path.join(mmar, settings["environment_json"])),
                     "config": _read_json(os.path.join(mmar, settings["inference_config"])),
                     "dataset": _read_json(os.path.join(mmar, settings["dataset_json"]))}

    os.environ["MDAI_CLARA_WORKSPACE"] = workspace
    os.environ["MDAI_STANDIN_PYTHON"] = sys.executable
    captured = io.StringIO()
    outputs, error, phase = None, None, "import"
    start = time.time()
    sys.path.insert(0, mdai)
    try:
        for name in TEMPLATE_MODULES:
            sys.modules.pop(name, None)
        with contextlib.redirect_stdout(captured):
            try:
                module = __import__("mdai_deploy")
                phase = "init"
                model = module.MDAIModel()
                phase = "predict"
                outputs = model.predict(data)
            except Exception as e:
                error = {"phase": phase, "type": type(e).__name__, "types": [t.__name__ for t in type(e).__mro__],
                         "message": str(e)}
    finally:
        sys.path.remove(mdai)
        for name in TEMPLATE_MODULES:
            sys.modules.pop(name, None)
    report["elapsed_s"] = round(time.time() - start, 3)
    report["log"] = [line for line in captured.getvalue().splitlines() if line.strip()]
    report["error"] = error
    _check_error(case, error, report)
    for text in case.get("expect_log", []):
        if not any(text in line for line in report["log"]):
            report["problems"].append("no log line mentions %r" % text)
    if error is not None or outputs is None:
        return

    sizes = {str(ds.SOPInstanceUID): (int(ds.Rows), int(ds.Columns)) for ds in instances}
    report["problems"].extend(check_outputs(outputs, sizes))
    report["instances"] = len(instances)
    report["outputs"] = len(outputs)
    report["annotations"] = sum(1 for o in outputs if isinstance(o, dict) and o.get("type") == "ANNOTATION")
    report["nones"] = sum(1 for o in outputs if isinstance(o, dict) and o.get("type") == "NONE")
    report["classes"] = sorted(set(repr(o["class_index"]) if type(o["class_index"]) is not int else o["class_index"]
                                   for o in outputs if isinstance(o, dict) and "class_index" in o), key=str)
    record = _read_json(record_path)
    if DUMP is not None:  # what the code returned and the label volume it saw, for comparison with MdaiClara's own
        dump = {"outputs": outputs, "series": case["series"], "settings": settings}
        if case.get("drift"):  # the series as sent, since its positions were changed
            folder = os.path.join(DUMP, case["name"] + "_dicom")
            os.makedirs(folder, exist_ok=True)
            for n, (_, content) in enumerate(sent):
                with open(os.path.join(folder, "%03d.dcm" % n), "wb") as f:
                    f.write(content)
            dump["series_folder"] = folder
        if settings["task"] == "segmentation":
            dump["label"] = os.path.join(DUMP, case["name"] + "_label.nii.gz")
            shutil.copy(record["truth"], dump["label"])  # the labels the stand-in saved, in whatever form
        else:  # the model's result as the interface code read it (the saver's CSV), and the instances as sent
            dump["csv"] = os.path.join(DUMP, case["name"] + "_" + os.path.basename(record["output"]))
            shutil.copy(record["output"], dump["csv"])
            folder = os.path.join(DUMP, case["name"] + "_dicom")
            os.makedirs(folder, exist_ok=True)
            for ds, content in sent:
                with open(os.path.join(folder, str(ds.SOPInstanceUID) + ".dcm"), "wb") as f:
                    f.write(content)
            dump["series_folder"] = folder
        _write_json(os.path.join(DUMP, case["name"] + ".json"), dump)
    if settings["task"] == "segmentation":
        expected = _expected_segmentation(instances, settings, behaviour, record)
        _check_segmentation(outputs, expected, settings, report)
        _check_input_nifti(case, instances, workspace, report)
        written = [os.path.join(workspace, "data", str(instances[0].SeriesInstanceUID) + ".nii.gz")]
        report["output_grid"] = {"mode": behaviour["grid"]["mode"], "shape": record["output_shape"]}
    else:
        contents = {str(ds.SOPInstanceUID): content for ds, content in sent}
        _check_classification(case, outputs, instances, settings, workspace, contents, report,
                              record if bundle else None)
        extension = ".png" if settings["classification"].get("input") == "png" else ".dcm"
        written = [os.path.join(workspace, "data", str(ds.SOPInstanceUID) + extension) for ds in instances]
    if bundle:
        _check_bundle_run(settings, workspace, mmar, originals, written, record, report)
    else:
        _check_mmar_edits(settings, workspace, mmar, originals, written, report)


# --------------------------------------------------------------------------------------------- Clara-like imports

def check_templates():
    """Static checks of every template file: header, Python 3.8 syntax, imports limited to the Clara image's."""
    allowed = set(getattr(sys, "stdlib_module_names", ())) | {"numpy", "pydicom", "nibabel"}
    helpers = {os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(TEMPLATES, "mdai_clara_*.py"))
               + glob.glob(os.path.join(TEMPLATES, "mdai_bundle_*.py"))}
    result = {"files": [], "problems": []}
    for path in sorted(glob.glob(os.path.join(TEMPLATES, "*.py"))):
        name = os.path.basename(path)
        source = open(path, encoding="utf-8").read()
        entry = {"file": name, "imports": []}
        if not source.startswith("# Generated by MdaiClara") or "Do not edit" not in source.splitlines()[0]:
            result["problems"].append("%s does not start with the generated-by / do-not-edit comment" % name)
        try:
            tree = ast.parse(source, filename=name, feature_version=(3, 8))
        except SyntaxError as e:
            result["problems"].append("%s is not Python 3.8 syntax: %s" % (name, e))
            result["files"].append(entry)
            continue
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for module in names:
                top = module.split(".")[0]
                entry["imports"].append(top)
                if name == "mdai_bundle_run.py" and top == "monai":
                    continue  # the bundle runner runs in its own process on the bundle's Python image (MONAI pinned)
                if top not in allowed and top not in helpers:
                    result["problems"].append("%s imports %s, which the Clara image may lack" % (name, module))
        entry["imports"] = sorted(set(entry["imports"]))
        result["files"].append(entry)
    if sys.version_info < (3, 10):
        result["problems"].append("Python %s cannot list the standard library; run with Python 3.10 or later"
                                  % sys.version.split()[0])
    return result


def check_standin_datalist():
    """The stand-in reads datalists as MONAI 0.8.1's load_decathlon_datalist and LoadImaged do: each expectation below
    is what Clara 4.1 does with that datalist (a path read, or the error it fails with)."""
    root = tempfile.mkdtemp(prefix="mdai-datalist-")
    try:
        image = os.path.join(root, "data", "ct.nii.gz")
        os.makedirs(os.path.dirname(image))
        open(image, "wb").close()
        open(os.path.join(root, "data", "notes.txt"), "w").close()
        base = os.path.join(root, "data")
        expectations = [
            ("test paths are wrapped as {image: path}", {"test": ["ct.nii.gz"]}, "test", image),
            ("an absolute test path stays as it is", {"test": [image]}, "test", image),
            ("a test object is wrapped again and read as a file named image", {"test": [{"image": "ct.nii.gz"}]},
             "test", "RuntimeError: cannot find a suitable reader for file: image."),
            ("a test object with a label is read as two file names",
             {"test": [{"image": "ct.nii.gz", "label": None}]}, "test",
             "RuntimeError: cannot find a suitable reader for file: ('image', 'label')."),
            ("objects under another key are read", {"validation": [{"image": "ct.nii.gz", "label": None}]},
             "validation", image),
            ("paths under another key are refused", {"validation": ["ct.nii.gz"]}, "validation",
             "TypeError: Every item in items must be a dict but got str."),
            ("a missing key is refused", {"training": []}, "test", 'ValueError: Data list test not specified in'),
        ]
        results, problems = [], []
        for number, (what, content, key, want) in enumerate(expectations):
            path = os.path.join(root, "datalist_%d.json" % number)
            _write_json(path, content)
            try:
                got = [load_image_path(item["image"]) for item in load_datalist(path, key, base)][0]
            except DatalistError as e:
                got = str(e)
            ok = got == want or (not want.startswith("/") and got.startswith(want))
            results.append({"what": what, "got": got, "ok": ok})
            if not ok:
                problems.append("%s: got %r, expected %r" % (what, got, want))
        other = load_datalist(_json_file(root, {"validation": [{"image": "ct.nii.gz", "notes": "notes.txt",
                                                                "meta": "absent.txt"}]}), "validation", base)[0]
        if other != {"image": image, "notes": os.path.join(base, "notes.txt"), "meta": "absent.txt"}:
            problems.append("other keys are joined only when the file exists: got %r" % other)
        return {"cases": results, "problems": problems, "ok": not problems}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _json_file(root, value):
    path = os.path.join(root, "extra.json")
    _write_json(path, value)
    return path


def _package_cases(package):
    """PACKAGE_CASES for a segmentation package; for a classifier, PACKAGE_CLASSIFICATION_CASES with the package's
    own class count (environment.json's OUTPUT_CHANNELS), multi-label setting and threshold."""
    with zipfile.ZipFile(package) as archive:
        settings = json.loads(archive.read("model/.mdai/mdai_clara.json"))
        if settings.get("package") == "monai_bundle":
            chosen = BUNDLE_CLASSIFICATION_CASES if settings["task"] == "classification" else BUNDLE_PACKAGE_CASES
            return [dict(c, package=package) for c in chosen]
        if settings["task"] != "classification":
            return [dict(c, package=package) for c in PACKAGE_CASES]
        root = "model/workspace/" + ("" if settings["mmar_root"] == "." else settings["mmar_root"] + "/")
        env = json.loads(archive.read(root + settings["environment_json"]))
    c = settings["classification"]
    classes = {"count": int(env["OUTPUT_CHANNELS"]), "multi_label": c["multi_label"], "threshold": c["threshold"]}
    return [dict(case, package=package, classes=dict(case["classes"], **classes)) for case in PACKAGE_CLASSIFICATION_CASES]


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", action="append", help="run only these cases (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the case names")
    parser.add_argument("--keep", action="store_true", help="keep each case's folder (its path is in the report)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a case fails")
    parser.add_argument("--templates", help="the template folder to test (default: src/Engine/Mdai/Templates)")
    parser.add_argument("--package", help="run the package cases on this zip from New-MdaiModelPackage instead")
    parser.add_argument("--dump", help="write each case's outputs (and label volume) into this folder")
    options = parser.parse_args()
    global TEMPLATES, DUMP
    if options.templates:
        TEMPLATES = os.path.abspath(options.templates)
    if options.dump:
        DUMP = os.path.abspath(options.dump)
        os.makedirs(DUMP, exist_ok=True)
    cases = CASES
    if options.package:
        cases = _package_cases(os.path.abspath(options.package))
    if options.list:
        print("\n".join(c["name"] for c in cases))
        return 0
    chosen = [c for c in cases if not options.case or c["name"] in options.case]
    unknown = set(options.case or []) - {c["name"] for c in cases}
    if unknown:
        parser.error("unknown case(s): %s" % ", ".join(sorted(unknown)))
    start = time.time()
    cases = [run_case(c, options.keep) for c in chosen]
    templates = check_templates()
    datalist = check_standin_datalist()
    template_files = {os.path.basename(p) for p in glob.glob(os.path.join(TEMPLATES, "*.py"))} | {"mdai_deploy.py"}
    by_templates = [a for a in IMPORT_GUARD.attempts if os.path.basename(a["from"]) in template_files]
    environment = {"blocked_modules": list(BLOCKED_MODULES), "blocked_imports_by_templates": by_templates,
                   "blocked_imports_elsewhere": [a for a in IMPORT_GUARD.attempts if a not in by_templates],
                   "templates": templates,
                   "ok": not by_templates and not templates["problems"]}
    report = {"python": sys.version.split()[0], "numpy": np.__version__, "pydicom": pydicom.__version__,
              "nibabel": nibabel.__version__, "environment": environment, "standin_datalist": datalist, "cases": cases,
              "passed": sum(1 for c in cases if c["ok"]), "failed": sum(1 for c in cases if not c["ok"]),
              "elapsed_s": round(time.time() - start, 2)}
    json.dump(report, sys.stdout, indent=1, default=repr)  # repr: whatever the code under test returned
    sys.stdout.write("\n")
    return 1 if options.strict and (report["failed"] or not environment["ok"] or not datalist["ok"]) else 0


if __name__ == "__main__":
    sys.exit(main())
