#!/usr/bin/python3
"""The saved-output rules of the packaged interface code, run for MdaiClara's C# copy of them (tests only).

Publish-MdaiModel's smoke run models in C# what the MMAR's saver writes (SavedSegmentationReader.Written) and how the
generated code reads it (SavedSegmentationReader.Labels, the rules of src/Engine/Mdai/Templates/mdai_clara_output.py).
This script is the other side of that comparison (tests/MdaiClara.Engine.Tests/Mdai/SavedSegmentationRulesTests.cs):
for each case of a JSON list it

- writes the channel-first prediction as the harness's stand-in saver does (tests/mdai/standin/monai_datalist.py:
  MONAI 0.8.1's NiftiSaver layout) and compares it with the file C# says the saver writes (shape and every value);
- reads the saved file with the template's own labels_from_saved and the case's saved_output, and writes the labels
  (int16 NIfTI) or records the error message, for C# to compare with its own verdict.

Usage: /usr/bin/python3 tests/mdai/saved_output_rules.py cases.json  (prints one JSON list, a result per case)
Case: {"name", "prediction": channel-first NIfTI or null, "squeeze_end_dims": bool, "saved": NIfTI, "where": text,
       "saved_output": {...}, "labels_out": path}
"""
import json
import os
import sys

import nibabel
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "src", "Engine", "Mdai", "Templates"))
sys.path.insert(0, os.path.join(HERE, "standin"))

from mdai_clara_output import labels_from_saved  # noqa: E402
from mdai_clara_settings import MdaiClaraError  # noqa: E402
from monai_datalist import saved_array  # noqa: E402


def run(case):
    result = {"name": case["name"]}
    saved = np.asanyarray(nibabel.load(case["saved"]).dataobj)
    result["saved_shape"] = list(saved.shape)
    result["saved_dtype"] = str(saved.dtype)
    if case.get("prediction"):
        written = saved_array(np.asanyarray(nibabel.load(case["prediction"]).dataobj), case["squeeze_end_dims"])
        result["layout_agrees"] = bool(written.shape == saved.shape and written.dtype == saved.dtype
                                       and np.array_equal(written, saved))
        result["standin_shape"] = list(written.shape)
    try:
        labels, note = labels_from_saved(saved, case["saved_output"], case["where"])
        nibabel.save(nibabel.Nifti1Image(labels.astype(np.int16), np.eye(4)), case["labels_out"])
        result.update({"accepted": True, "labels_shape": list(labels.shape), "note": note})
    except MdaiClaraError as e:
        result.update({"accepted": False, "error": str(e)})
    return result


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    json.dump([run(c) for c in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
