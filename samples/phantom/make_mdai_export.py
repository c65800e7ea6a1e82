#!/usr/bin/python3
"""Writes mdai_annotations.json: the phantom's truth (phantom_truth.nii.gz) as an MD.ai annotation export of the phantom
DICOM series (dicom/), the shape MD.ai's Project -> Export -> Annotations (JSON) gives (mdai-contract section 8.1):
one "Organ" mask annotation per slice where the organ is (lesion included, as a radiologist outlines the organ), one
"Lesion" mask annotation per slice where the lesion is, and a global "Contrast: none" label on the series. Mask
polygons come from OpenCV's findContours, as MD.ai's own client makes them (convert_mask_data); for these hole-free
shapes they draw back exactly, which the script checks. Drawn organ first, then lesion, the export gives back the truth.

Run: /usr/bin/python3 samples/phantom/make_mdai_export.py (python3-opencv, python3-pydicom, python3-nibabel).
"""
import json
import os

import cv2
import nibabel as nib
import numpy as np
import pydicom

HERE = os.path.dirname(os.path.abspath(__file__))


def contours(mask):
    found, hierarchy = cv2.findContours(mask.astype(np.uint8), cv2.RETR_TREE, cv2.CHAIN_APPROX_NONE)
    data = {"foreground": [], "background": []}
    depth = [0] * len(found)
    for i, c in enumerate(found):
        parent = hierarchy[0][i][-1]
        if parent != -1:
            depth[i] = depth[parent] + 1
        data["background" if depth[i] % 2 else "foreground"].append(c.reshape(-1, 2).tolist())
    back = np.zeros(mask.shape, dtype=np.uint8)
    for p in data["foreground"]:
        back = cv2.fillPoly(back, [np.array(p, dtype=np.int32)], 1)
    for p in data["background"]:
        back = cv2.fillPoly(back, [np.array(p, dtype=np.int32)], 0)
    assert np.array_equal(back, mask.astype(np.uint8)), "the contours do not draw back exactly"
    return data


def main():
    truth = np.asarray(nib.load(os.path.join(HERE, "phantom_truth.nii.gz")).dataobj).astype(np.uint8)
    files = sorted(os.listdir(os.path.join(HERE, "dicom")))
    annotations = []
    study = series = None
    n = 0
    slices = []
    for name in files:
        ds = pydicom.dcmread(os.path.join(HERE, "dicom", name), stop_before_pixels=True)
        slices.append((int(ds.InstanceNumber), ds))
    for number, ds in sorted(slices):
        k = number - 1  # pixel_array[r, c] of InstanceNumber k+1 == NIfTI voxel [c, r, k] (phantom_params.json)
        study, series = ds.StudyInstanceUID, ds.SeriesInstanceUID
        plane = truth[:, :, k].T  # rows x columns
        for label_id, mask in (("L_phOrgan", plane >= 1), ("L_phLesion", plane == 2)):
            if not mask.any():
                continue
            n += 1
            annotations.append({
                "id": f"A_ph{n:04d}", "labelId": label_id, "StudyInstanceUID": study, "SeriesInstanceUID": series,
                "SOPInstanceUID": ds.SOPInstanceUID, "frameNumber": None, "height": int(ds.Rows), "width": int(ds.Columns),
                "data": contours(mask), "note": None, "createdById": "U_demo", "createdAt": "2026-12-01T09:00:00.000Z",
            })
    annotations.append({"id": "A_phContrast", "labelId": "L_phNoContrast", "StudyInstanceUID": study, "SeriesInstanceUID": series,
                        "SOPInstanceUID": None, "frameNumber": None, "data": None, "createdById": "U_demo"})
    export = {
        "id": "phDemo01", "createdAt": "2026-12-01T09:00:00.000Z", "name": "MdaiClara phantom", "description": "Sample export for MdaiClara",
        "isPrivate": True,
        "labelGroups": [{
            "id": "G_phDefault", "name": "Default group", "type": "STANDARD",
            "labels": [
                {"id": "L_phOrgan", "name": "Organ", "shortName": "ORG", "color": "#e53935", "type": "local", "scope": "instance", "annotationMode": "mask", "parentId": None},
                {"id": "L_phLesion", "name": "Lesion", "shortName": "LES", "color": "#fdd835", "type": "local", "scope": "instance", "annotationMode": "mask", "parentId": None},
                {"id": "L_phNoContrast", "name": "Contrast: none", "shortName": "NC", "color": "#1e88e5", "type": "global", "scope": "series", "annotationMode": None, "parentId": None},
            ],
        }],
        "datasets": [{"id": "D_phDemo", "type": "DICOM", "name": "Phantom", "studies": [{"StudyInstanceUID": study, "number": 1}], "annotations": annotations}],
    }
    with open(os.path.join(HERE, "mdai_annotations.json"), "w") as f:
        json.dump(export, f, separators=(",", ":"))
        f.write("\n")
    print(len(annotations), "annotations")


if __name__ == "__main__":
    main()
