#!/usr/bin/python3
"""Runs an MD.ai package of a MONAI bundle (New-MdaiModelPackage -Bundle) once against a REAL MONAI, not the stand-in.

    /usr/bin/python3 tests/mdai/run_bundle_package_with_monai.py PACKAGE.zip [--series DIR] [--monai DIR] [--ignite DIR]

It unpacks the zip as MD.ai's builder would (model/ with .mdai/ and bundle/), puts the MONAI and pytorch-ignite
folders (default /opt/monai132 and /opt/ignite0412; MONAI is not a Debian package) on PYTHONPATH for the bundle runner,
imports the packaged mdai_deploy.py, calls MDAIModel().predict() with a DICOM series as MD.ai sends it (default: the
sample phantom series, samples/phantom/dicom) and checks the outputs against MD.ai's rules (mdai_output_rules.py). It
then runs MONAI's bundle workflow itself on the NIfTI the interface code wrote and compares: the label volume the
package read must equal MONAI's own SaveImaged output voxel for voxel. Prints a JSON report; exit 1 on any problem.
Needs Debian's python3 with python3-torch, python3-numpy, python3-pydicom, python3-nibabel.
"""
import argparse
import contextlib
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile

import nibabel
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from mdai_output_rules import check_outputs  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("package")
    parser.add_argument("--series", default=os.path.join(REPO, "samples", "phantom", "dicom"))
    parser.add_argument("--monai", default=os.environ.get("MDAICLARA_MONAI", "/opt/monai132"))
    parser.add_argument("--ignite", default=os.environ.get("MDAICLARA_IGNITE", "/opt/ignite0412"))
    options = parser.parse_args()
    root = tempfile.mkdtemp(prefix="mdai-bundle-real-")
    with zipfile.ZipFile(options.package) as archive:
        archive.extractall(root)
    mdai = os.path.join(root, "model", ".mdai")
    work = os.path.join(root, "work")
    os.environ["MDAI_CLARA_WORKSPACE"] = work
    os.environ["PYTHONPATH"] = os.pathsep.join([options.monai, options.ignite])
    files = sorted(p for p in glob.glob(os.path.join(options.series, "*")) if os.path.isfile(p))
    items = [{"content": open(p, "rb").read(), "content_type": "application/dicom"} for p in files]
    random.Random(1).shuffle(items)
    report = {"package": os.path.abspath(options.package), "folder": root, "monai": options.monai, "problems": []}

    sys.path.insert(0, mdai)
    import mdai_deploy  # noqa: E402  (the packaged interface code)

    start = time.time()
    with contextlib.redirect_stdout(sys.stderr):  # the interface code's log lines; stdout carries the report only
        model = mdai_deploy.MDAIModel()
        outputs = model.predict({"files": items, "annotations": [], "args": {}})
    report["predict_s"] = round(time.time() - start, 1)
    report["outputs"] = len(outputs)
    report["annotations"] = sum(1 for o in outputs if o["type"] == "ANNOTATION")
    report["classes"] = sorted({o["class_index"] for o in outputs if o["type"] == "ANNOTATION"})
    import pydicom

    sizes = {}
    for p in files:
        ds = pydicom.dcmread(p, stop_before_pixels=True)
        sizes[str(ds.SOPInstanceUID)] = (int(ds.Rows), int(ds.Columns))
    report["problems"] += check_outputs(outputs, sizes)
    if not report["annotations"]:
        report["problems"].append("no annotations: the model found nothing (or nothing reached MD.ai's outputs)")

    # MONAI's own run on the same NIfTI, outside the interface code, into another folder.
    inputs = glob.glob(os.path.join(work, "data", "*.nii.gz"))
    packaged = [p for p in glob.glob(os.path.join(work, "eval", "**", "*.nii*"), recursive=True)]
    settings = json.load(open(os.path.join(mdai, "mdai_clara.json")))
    bundle = os.path.join(root, "model", settings["bundle_root"])
    direct = os.path.join(root, "direct")
    os.makedirs(direct)
    code = ("import sys; from monai.bundle import ConfigWorkflow; w = ConfigWorkflow(config_file=%r, meta_file=%r, "
            "logging_file=False, workflow_type='infer', bundle_root=%r, datalist=%r, output_dir=%r); "
            "w.initialize(); w.run(); w.finalize()") % (os.path.join(bundle, settings["config_file"]),
                                                        os.path.join(bundle, settings["meta_file"]), bundle, inputs, direct)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if run.returncode != 0:
        report["problems"].append("MONAI's direct run failed: " + run.stderr[-2000:])
    mine = glob.glob(os.path.join(direct, "**", "*.nii*"), recursive=True)
    if len(packaged) != 1 or len(mine) != 1:
        report["problems"].append("expected one output each, got %s and %s" % (packaged, mine))
    else:
        a, b = nibabel.load(packaged[0]), nibabel.load(mine[0])
        same = np.array_equal(np.asanyarray(a.dataobj), np.asanyarray(b.dataobj)) and np.allclose(a.affine, b.affine)
        report["label_shape"] = list(a.shape)
        report["label_counts"] = np.bincount(np.asanyarray(a.dataobj).astype(np.int64).ravel()).tolist()
        if not same:
            report["problems"].append("the label volume the package read differs from MONAI's direct run")
    report["ok"] = not report["problems"]
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
