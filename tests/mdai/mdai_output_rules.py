"""MD.ai's rules for what predict() returns (mdai-contract.md 4.3, from mdai/model-deploy's validation.py), written
out here so the tests check the interface code's outputs the way MD.ai's server would, plus the stricter rules our
interface code promises (UIDs on every output, 0/1 masks of the instance's size).

check_outputs(outputs, instance_sizes) returns a list of problems (empty when every rule holds).
"""

TYPES = ("NONE", "ANNOTATION", "IMAGE", "DICOM", "TEXT")
REQUIRED = {
    "NONE": ("study_uid",),
    "ANNOTATION": ("study_uid", "class_index"),
    "IMAGE": ("study_uid", "class_index", "images"),
    "DICOM": ("study_uid", "class_index", "images"),
    "TEXT": ("study_uid",),
}
# Exact types, as MD.ai checks them (type(v) in [...]): numpy scalars and bool are refused.
ALLOWED = {
    "type": (str,),
    "study_uid": (str,),
    "series_uid": (str, type(None)),
    "instance_uid": (str, type(None)),
    "frame_number": (int, type(None)),
    "video_frame_number": (int, type(None)),
    "class_index": (int,),
    "data": (dict, type(None)),
    "probability": (float, list, type(None)),
    "explanations": (list, type(None)),
    "note": (str, dict, type(None)),
    "images": (list, type(None)),
    "image_output_tags": (dict, type(None)),
}
DATA_SHAPES = ({"x", "y"}, {"x", "y", "width", "height"}, {"vertices"}, {"mask"},
               {"start_frame_number", "end_frame_number"})


def check_outputs(outputs, instance_sizes):
    """instance_sizes: SOPInstanceUID -> (rows, columns) of the instances sent, for the mask sizes."""
    problems = []
    if type(outputs) is not list:
        return ["predict returned %s, not a list" % type(outputs).__name__]
    for n, output in enumerate(outputs):
        where = "output %d" % n
        if type(output) is not dict:
            problems.append("%s is %s, not a dict" % (where, type(output).__name__))
            continue
        kind = output.get("type")
        if kind not in TYPES:
            problems.append("%s has type %r" % (where, kind))
            continue
        for key in REQUIRED[kind]:
            if key not in output:
                problems.append("%s (%s) lacks %s" % (where, kind, key))
        for key, value in output.items():
            if key not in ALLOWED:
                problems.append("%s has key %r, which MD.ai refuses" % (where, key))
            elif type(value) not in ALLOWED[key]:
                problems.append("%s: %s is %s, not one of %s"
                                % (where, key, type(value).__name__, [t.__name__ for t in ALLOWED[key]]))
        if kind == "ANNOTATION" and type(output.get("class_index")) is int and output["class_index"] < 0:
            problems.append("%s: class_index %d is negative" % (where, output["class_index"]))
        for key in ("series_uid", "instance_uid"):
            if type(output.get(key)) is not str or not output[key]:
                problems.append("%s lacks %s (instance-scoped outputs need it)" % (where, key))
        if type(output.get("data")) is dict:
            problems.extend(_check_data(where, output["data"], instance_sizes.get(output.get("instance_uid"))))
        if "probability" in output:
            problems.extend(_check_probability(where, output["probability"]))
    return problems


def _check_data(where, data, size):
    keys = set(data)
    if keys not in DATA_SHAPES:
        return ["%s: data keys %s match no MD.ai shape" % (where, sorted(keys))]
    if keys != {"mask"}:
        return []
    mask = data["mask"]
    if type(mask) is not list or not mask or type(mask[0]) is not list:
        return ["%s: mask is not a 2-D list" % where]
    problems = []
    if size is not None and (len(mask), len(mask[0])) != tuple(size):
        problems.append("%s: mask is %d x %d, the instance %d x %d" % (where, len(mask), len(mask[0]), size[0], size[1]))
    bad = 0
    for row in mask:
        if type(row) is not list or (size is not None and len(row) != size[1]):
            problems.append("%s: a mask row is not a list of the instance's width" % where)
            break
        bad += sum(1 for v in row if type(v) is not int or v not in (0, 1))
    if bad:
        problems.append("%s: %d mask value(s) are not the ints 0 or 1" % (where, bad))
    if not any(any(row) for row in mask if type(row) is list):
        problems.append("%s: the mask is empty (an instance without foreground should get NONE)" % where)
    return problems


def _check_probability(where, probability):
    if type(probability) is float:
        return [] if 0 <= probability <= 1 else ["%s: probability %r outside 0..1" % (where, probability)]
    if type(probability) is list:
        problems = []
        for item in probability:
            if type(item) is not dict or set(item) != {"class_index", "probability"} or \
                    type(item["class_index"]) is not int or type(item["probability"]) is not float:
                problems.append("%s: probability entry %r is not {class_index: int, probability: float}"
                                % (where, item))
        return problems
    return []
