"""How Clara Train 4.1 reads an inference datalist and saves a segmentation, in our own words, for the stand-in infer.sh
(tests only). Written from the behaviour of MONAI 0.8.1 (the MONAI of MD.ai's Clara 4.1 image), which the harness
cannot import (it needs torch):

- load_datalist: monai.data.load_decathlon_datalist as Clara's "Dataset" component calls it (data_list_file_path,
  data_list_key, data_file_base_dir as base_dir): every item of the key "test" becomes {"image": item}, whatever it
  is; every item must then be an object; "image" and "label" are joined to the base folder (an absolute path stays as
  it is), other string values only when the joined path exists;
- load_image_path: what LoadImaged then makes of an item's "image": a path string (or a list of them) is read; anything
  else is iterated as file names (an object gives its keys), which no reader can read;
- saved_array: what NiftiSaver (SaveImage(d), SegmentationSaver) writes for a channel-first prediction: axes of length
  1 appended up to 4, the channel moved last, trailing axes of length 1 dropped (squeeze_end_dims), float32.
"""
import json
import os
import re

import numpy as np

TEST_KEY = "test"


class DatalistError(Exception):
    """What MONAI would raise (ValueError, TypeError or RuntimeError), with its kind and message."""

    def __init__(self, kind, message):
        super().__init__("%s: %s" % (kind, message))
        self.kind = kind


def resolve(value, env):
    """Clara's {VARIABLE} substitution from environment.json in a config string."""
    if not isinstance(value, str):
        return value
    return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: str(env.get(m.group(1), m.group(0))), value)


def load_datalist(path, key, base_dir=None, is_segmentation=True):
    if not os.path.isfile(path):
        raise DatalistError("ValueError", "Data list file %s does not exist." % path)
    with open(path) as f:
        content = json.load(f)
    if key not in content:
        raise DatalistError("ValueError", 'Data list %s not specified in "%s".' % (key, path))
    items = content[key]
    if key == TEST_KEY:
        items = [{"image": item} for item in items]
    base = base_dir if base_dir is not None else os.path.dirname(path)
    result = []
    for item in items:
        if not isinstance(item, dict):
            raise DatalistError("TypeError", "Every item in items must be a dict but got %s." % type(item).__name__)
        result.append({k: _joined(base, v, must_exist=not (k == "image" or (is_segmentation and k == "label")))
                       for k, v in item.items()})
    return result


def _joined(base, value, must_exist):
    def join(name):
        joined = os.path.normpath(os.path.join(base, name))
        return name if must_exist and not os.path.exists(joined) else joined

    if isinstance(value, str):
        return join(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [join(v) for v in value]
    return value


def load_image_path(value):
    """The one file LoadImaged would read for an item's "image", or DatalistError as MONAI fails."""
    names = [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, (list, dict)) else [
        str(value)]
    if len(names) != 1 or isinstance(value, dict):
        # MONAI names one file as it is and several as the tuple it made of them.
        shown = names[0] if len(names) == 1 else str(tuple(names))
        raise DatalistError("RuntimeError", "cannot find a suitable reader for file: %s." % shown)
    name = names[0]
    if not name.endswith((".nii", ".nii.gz", ".dcm")):
        raise DatalistError("RuntimeError", "cannot find a suitable reader for file: %s." % name)
    if not os.path.isfile(name):
        raise DatalistError("FileNotFoundError", "No such file or no access: '%s'" % name)
    return name


def saved_array(channel_first, squeeze_end_dims=True):
    data = np.asarray(channel_first)
    while data.ndim < 4:
        data = data[..., None]
    data = np.moveaxis(data, 0, -1)
    while squeeze_end_dims and data.ndim > 0 and data.shape[-1] == 1:
        data = data[..., 0]
    return data.astype(np.float32)
