#!/usr/bin/python3
"""Runs an MD.ai package of a MONAI bundle (New-MdaiModelPackage -Bundle) once against a REAL MONAI, not the stand-in.

    /usr/bin/python3 tests/mdai/run_bundle_package_with_monai.py PACKAGE.zip [--series DIR] [--monai DIR] [--ignite DIR]

It unpacks the zip as MD.ai's builder would (model/ with .mdai/ and bundle/), puts the MONAI and pytorch-ignite
folders (default /opt/monai132 and /opt/ignite0412; MONAI is not a Debian package) on PYTHONPATH for the bundle runner,
imports the packaged mdai_deploy.py, calls MDAIModel().predict() with DICOM files as MD.ai sends them and checks the
outputs against MD.ai's rules (mdai_output_rules.py). It then runs MONAI's bundle workflow itself on the files the
interface code wrote and compares:

- segmentation (default input: the sample phantom series, samples/phantom/dicom): the label volume the package read
  must equal MONAI's own SaveImaged output voxel for voxel;
- classification (default input: the golden RGB classifier's sample pictures, tests/fixtures/bundles/golden-rgb-cls/
  sample_data/*.png, each made an RGB Secondary Capture DICOM instance here): the CSV the package read must equal
  MONAI's own, row for row, and each instance's annotation must be the class MONAI's CSV gives it; with
  --expect FILE (default for that bundle: its expected/predictions.csv, made by MONAI 1.3.2 from the PNGs) each
  instance's class must also be the one expected for the picture it was made from.

Prints a JSON report; exit 1 on any problem.
Needs Debian's python3 with python3-torch, python3-numpy, python3-pydicom, python3-nibabel (and python3-pil for
bundles that read pictures with PILReader).
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
GOLDEN_CLS = os.path.join(REPO, "tests", "fixtures", "bundles", "golden-rgb-cls")
sys.path.insert(0, HERE)
from mdai_output_rules import check_outputs  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("package")
    parser.add_argument("--series", help="a folder of DICOM files (default: see above)")
    parser.add_argument("--expect", default=os.path.join(GOLDEN_CLS, "expected", "predictions.csv"),
                        help="a classifier's expected CSV (MONAI's, from the pictures the DICOM files were made from)")
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
    settings = json.load(open(os.path.join(mdai, "mdai_clara.json")))
    report = {"package": os.path.abspath(options.package), "folder": root, "monai": options.monai, "problems": [],
              "task": settings["task"]}
    classifier = settings["task"] == "classification"
    if options.series:
        files = sorted(p for p in glob.glob(os.path.join(options.series, "*")) if os.path.isfile(p))
    elif classifier:
        files = pictures_as_dicom(sorted(glob.glob(os.path.join(GOLDEN_CLS, "sample_data", "*.png"))),
                                  os.path.join(root, "dicom"))
    else:
        files = sorted(glob.glob(os.path.join(REPO, "samples", "phantom", "dicom", "*")))
    items = [{"content": open(p, "rb").read(), "content_type": "application/dicom"} for p in files]
    random.Random(1).shuffle(items)

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
    bundle = os.path.join(root, "model", settings["bundle_root"])
    if classifier:
        compare_classification(report, settings, bundle, work, outputs, files, options.expect)
    else:
        compare_segmentation(report, settings, bundle, work, root)
    report["ok"] = not report["problems"]
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if report["ok"] else 1


def run_monai(settings, bundle, inputs, output_dir):
    """MONAI's own bundle workflow on these inputs, outside the interface code, with the package's datalist override;
    the error text when it fails."""
    key = settings.get("datalist_key")
    override = {"bundle_root": bundle, settings.get("datalist_id") or "datalist":
                [p if key is None else {key: p} for p in inputs], "output_dir": output_dir}
    code = ("import sys; from monai.bundle import ConfigWorkflow; w = ConfigWorkflow(config_file=%r, meta_file=%r, "
            "logging_file=False, workflow_type='infer', **%r); w.initialize(); w.run(); w.finalize()"
            % (os.path.join(bundle, settings["config_file"]), os.path.join(bundle, settings["meta_file"]), override))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return None if run.returncode == 0 else run.stderr[-2000:]


def compare_segmentation(report, settings, bundle, work, root):
    # MONAI's own run on the same NIfTI, outside the interface code, into another folder.
    inputs = glob.glob(os.path.join(work, "data", "*.nii.gz"))
    packaged = [p for p in glob.glob(os.path.join(work, "eval", "**", "*.nii*"), recursive=True)]
    direct = os.path.join(root, "direct")
    os.makedirs(direct)
    failure = run_monai(settings, bundle, inputs, direct)
    if failure:
        report["problems"].append("MONAI's direct run failed: " + failure)
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


def compare_classification(report, settings, bundle, work, outputs, files, expect):
    """MONAI's own run on the files the interface code wrote: the same CSV; each instance annotated with its class."""
    import csv
    import pydicom

    inputs = sorted(glob.glob(os.path.join(work, "data", "*")))
    packaged = glob.glob(os.path.join(work, "eval", "**", settings["classification"]["csv"]), recursive=True)
    direct = os.path.join(os.path.dirname(work), "direct")
    os.makedirs(direct)
    failure = run_monai(settings, bundle, inputs, direct)
    if failure:
        report["problems"].append("MONAI's direct run failed: " + failure)
    mine = glob.glob(os.path.join(direct, "**", settings["classification"]["csv"]), recursive=True)
    if len(packaged) != 1 or len(mine) != 1:
        report["problems"].append("expected one CSV each, got %s and %s" % (packaged, mine))
        return

    def rows(path):
        with open(path, newline="") as f:
            return {os.path.basename(r[0]): [float(v) for v in r[1:]] for r in csv.reader(f) if r}

    read, monai_rows = rows(packaged[0]), rows(mine[0])
    report["csv_rows"] = {k: v for k, v in sorted(read.items())}
    if read != monai_rows:
        report["problems"].append("the CSV the package read differs from MONAI's direct run: %s vs %s"
                                  % (read, monai_rows))
    expected = rows(expect) if expect and os.path.isfile(expect) else {}
    for path in files:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        sop = str(ds.SOPInstanceUID)
        values = [v for k, v in monai_rows.items() if os.path.splitext(k)[0] == sop]
        got = [o for o in outputs if o.get("instance_uid") == sop and o["type"] == "ANNOTATION"]
        if len(values) != 1 or not got:
            report["problems"].append("instance %s: %d MONAI row(s), %d annotation(s)" % (sop, len(values), len(got)))
            continue
        monai_class = int(values[0][0]) if len(values[0]) == 1 else int(max(range(len(values[0])),
                                                                             key=lambda k: values[0][k]))
        if got[0]["class_index"] != monai_class:
            report["problems"].append("instance %s: annotated class %s, MONAI says %d"
                                      % (sop, got[0]["class_index"], monai_class))
        picture = str(ds.get("ImageComments", ""))
        if picture in expected and int(expected[picture][0]) != got[0]["class_index"]:
            report["problems"].append("instance %s (%s): annotated class %s, MONAI's golden output says %d"
                                      % (sop, picture, got[0]["class_index"], int(expected[picture][0])))
        elif picture in expected:
            report.setdefault("matched_expected", []).append(picture)


def pictures_as_dicom(pictures, folder):
    """Each RGB picture as a Secondary Capture DICOM instance of one series (its file name in ImageComments)."""
    import numpy as np
    import pydicom
    from PIL import Image
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    os.makedirs(folder)
    study, series, paths = generate_uid(), generate_uid(), []
    for number, picture in enumerate(pictures, start=1):
        pixels = np.asarray(Image.open(picture).convert("RGB"), dtype=np.uint8)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.Modality, ds.InstanceNumber, ds.ImageComments = "OT", number, os.path.basename(picture)
        ds.PatientID, ds.PatientName = "GOLDEN-RGB", "Golden^RGB"
        ds.Rows, ds.Columns = pixels.shape[0], pixels.shape[1]
        ds.SamplesPerPixel, ds.PhotometricInterpretation, ds.PlanarConfiguration = 3, "RGB", 0
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
        ds.PixelData = pixels.tobytes()
        path = os.path.join(folder, "%03d.dcm" % number)
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(path, write_like_original=False)
        paths.append(path)
    return paths


if __name__ == "__main__":
    sys.exit(main())
