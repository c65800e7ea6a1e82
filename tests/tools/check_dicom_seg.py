#!/usr/bin/python3
"""Checks a binary DICOM SEG written by MdaiClara with pydicom alone (no highdicom), independently of MdaiClara's reader.

    check_dicom_seg.py SEG SOURCE_FOLDER CX CY CZ Q

The tests label voxels by a rule in patient space (LPS millimetres, d = position - (CX, CY, CZ)):
label 1 where d.x > Q and d.y < Q, label 3 where d.x < -Q and d.z > -Q, else 0 (label 2 is named but absent).
This script decodes every frame with pydicom, places each frame pixel in patient space from the SEG's own Plane
Position, Plane Orientation and Pixel Measures, and compares its bit with the rule's answer for the frame's segment
(voxels within 1e-3 mm of a rule boundary are not judged). It also checks, against the source files read with
pydicom, that each frame's Plane Position equals the ImagePositionPatient of the single-frame instance it references,
and that every (segment, source instance) pair the rule makes non-empty has a frame. Prints one JSON object.
"""
import json
import os
import sys

import numpy as np
import pydicom

seg_path, source, cx, cy, cz, q = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:7])
center = np.array([cx, cy, cz])


def rule(points):
    d = points - center
    label = np.zeros(points.shape[:-1], dtype=np.int64)
    label[(d[..., 0] > q) & (d[..., 1] < q)] = 1
    label[(d[..., 0] < -q) & (d[..., 2] > -q)] = 3
    near = np.minimum.reduce([np.abs(np.abs(d[..., 0]) - q), np.abs(d[..., 1] - q), np.abs(d[..., 2] + q)]) < 1e-3
    return label, near


def grid(position, orientation, spacing, rows, cols):
    row_dir, col_dir = np.array(orientation[:3], float), np.array(orientation[3:], float)
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return np.array(position, float) + c[..., None] * spacing[1] * row_dir + r[..., None] * spacing[0] * col_dir


seg = pydicom.dcmread(seg_path)
frames = seg.pixel_array.reshape(int(seg.NumberOfFrames), seg.Rows, seg.Columns)
shared = seg.SharedFunctionalGroupsSequence[0]
orientation = [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient]
spacing = [float(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing]
label_of = {}
for s in seg.SegmentSequence:
    value = int(s[0x00631000].value) if (0x0063, 0x1000) in s else int(s.SegmentNumber)
    label_of[int(s.SegmentNumber)] = value

sources = {}
for name in sorted(os.listdir(source)):
    path = os.path.join(source, name)
    if not os.path.isfile(path):
        continue
    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
    except Exception:
        continue
    if "ImagePositionPatient" in ds and int(ds.get("NumberOfFrames", 1) or 1) == 1:
        sources[ds.SOPInstanceUID] = ds

out = {"frames": len(frames), "segments": len(seg.SegmentSequence), "labels": sorted(label_of.values()),
       "bad_pixels": 0, "judged_pixels": 0, "position_mismatches": 0, "referenced_single_frame": 0,
       "missing_frames": 0, "transfer_syntax": str(seg.file_meta.TransferSyntaxUID), "modality": seg.Modality,
       "sop_class": str(seg.SOPClassUID), "implementation_class_uid": str(seg.file_meta.ImplementationClassUID)}
have = set()
for n, item in enumerate(seg.PerFrameFunctionalGroupsSequence):
    number = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
    position = [float(v) for v in item.PlanePositionSequence[0].ImagePositionPatient]
    expected, near = rule(grid(position, orientation, spacing, seg.Rows, seg.Columns))
    want = expected == label_of[number]
    judged = ~near
    out["judged_pixels"] += int(judged.sum())
    out["bad_pixels"] += int(((frames[n] != 0) != want)[judged].sum())
    ref = item.DerivationImageSequence[0].SourceImageSequence[0]
    uid = ref.ReferencedSOPInstanceUID
    have.add((number, uid))
    if uid in sources:
        out["referenced_single_frame"] += 1
        if np.abs(np.array([float(v) for v in sources[uid].ImagePositionPatient]) - position).max() > 1e-4:
            out["position_mismatches"] += 1

for uid, ds in sources.items():
    pts = grid([float(v) for v in ds.ImagePositionPatient], [float(v) for v in ds.ImageOrientationPatient],
               [float(v) for v in ds.PixelSpacing], ds.Rows, ds.Columns)
    expected, near = rule(pts)
    for number, value in label_of.items():
        if ((expected == value) & ~near).any() and (number, uid) not in have:
            out["missing_frames"] += 1
print(json.dumps(out))
