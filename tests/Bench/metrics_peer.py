#!/usr/bin/env python3
"""The segmentation-metrics peer for build.ps1 -Task Bench: MONAI's DiceMetric + HausdorffDistanceMetric(percentile=95)
+ SurfaceDistanceMetric(symmetric=True) on the CPU, on the same 512x512x300 label pair MdaiClara measures.

  metrics_peer.py make <folder>              writes pred.nii.gz and label.nii.gz (uint8, 0.7 x 0.7 x 1.5 mm, two
                                             structures: a large organ-like ellipsoid and a small lesion, the
                                             prediction shifted, resized and with a false-positive island)
  metrics_peer.py monai <folder> <repeat>    MONAI on them: label maps to one-hot (as AsDiscrete(to_onehot=3) does),
                                             then the three metrics with spacing in mm, include_background=False;
                                             the best of <repeat> runs and the peak memory rise (VmHWM after
                                             /proc/self/clear_refs, minus VmRSS before), as JSON with the values

MONAI is not a Debian package: point MDAICLARA_MONAI at a folder holding MONAI 1.3.2's `monai` package; it needs
python3-torch, python3-numpy, python3-nibabel and python3-scipy. Threads: MDAICLARA_BENCH_THREADS (default 2).
"""
import json
import os
import sys
import time

import numpy as np

SHAPE = (512, 512, 300)
SPACING = (0.7, 0.7, 1.5)


def ellipsoid_into(volume, value, centre, radii):
    """Sets value inside the ellipsoid, slice by slice (keeps the peak memory of the generator low)."""
    ii, jj = np.meshgrid(np.arange(SHAPE[0]), np.arange(SHAPE[1]), indexing="ij")
    plane = ((ii - centre[0]) / radii[0]) ** 2 + ((jj - centre[1]) / radii[1]) ** 2
    for k in range(max(0, int(centre[2] - radii[2]) - 1), min(SHAPE[2], int(centre[2] + radii[2]) + 2)):
        inside = plane + ((k - centre[2]) / radii[2]) ** 2 <= 1.0
        volume[:, :, k][inside] = value


def make(folder):
    import nibabel as nib
    os.makedirs(folder, exist_ok=True)
    affine = np.diag([SPACING[0], SPACING[1], SPACING[2], 1.0])
    label = np.zeros(SHAPE, np.uint8)
    ellipsoid_into(label, 1, (250, 230, 150), (110, 80, 70))
    ellipsoid_into(label, 2, (330, 300, 120), (18, 15, 9))
    pred = np.zeros(SHAPE, np.uint8)
    ellipsoid_into(pred, 1, (253, 227, 152), (106, 83, 68))
    ellipsoid_into(pred, 1, (150, 380, 60), (6, 6, 4))  # a false-positive island
    ellipsoid_into(pred, 2, (332, 298, 121), (16, 17, 8))
    nib.save(nib.Nifti1Image(label, affine), os.path.join(folder, "label.nii.gz"))
    nib.save(nib.Nifti1Image(pred, affine), os.path.join(folder, "pred.nii.gz"))


def status_bytes(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def bench_monai(folder, repeat):
    monai_path = os.environ.get("MDAICLARA_MONAI")
    if monai_path:
        sys.path.insert(0, monai_path)
    import warnings
    warnings.filterwarnings("ignore")
    import nibabel as nib
    import torch
    torch.set_num_threads(int(os.environ.get("MDAICLARA_BENCH_THREADS", "2")))
    import monai
    from monai.metrics import DiceMetric, HausdorffDistanceMetric, SurfaceDistanceMetric
    from monai.transforms import AsDiscrete

    pred = torch.as_tensor(np.asanyarray(nib.load(os.path.join(folder, "pred.nii.gz")).dataobj))[None]
    label = torch.as_tensor(np.asanyarray(nib.load(os.path.join(folder, "label.nii.gz")).dataobj))[None]
    onehot = AsDiscrete(to_onehot=3)
    best, values = None, None
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = status_bytes("VmRSS")
    for _ in range(repeat):
        start = time.perf_counter()
        p, y = onehot(pred)[None], onehot(label)[None]
        dice = DiceMetric(include_background=False, reduction="none")(p, y)
        hd95 = HausdorffDistanceMetric(include_background=False, percentile=95, reduction="none")(p, y, spacing=list(SPACING))
        asd = SurfaceDistanceMetric(include_background=False, symmetric=True, reduction="none")(p, y, spacing=list(SPACING))
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
        values = {"dice": dice[0].tolist(), "hd95": hd95[0].tolist(), "asd": asd[0].tolist()}
        del p, y
    peak = status_bytes("VmHWM") - before
    print(json.dumps({"seconds": best, "peak_mb": peak / 1048576.0, "monai": monai.__version__, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "values": values}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "monai":
        bench_monai(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
