"""Stand-in for monai.bundle.ConfigWorkflow (tests only), in place of MONAI's bundle runner.

It checks what the interface code asks for (an "infer" workflow on the bundle's own config and metadata files, with
bundle_root, datalist and output_dir overridden and nothing else), and on run() writes what the bundle's saver would:

- segmentation: reads the inference config's SaveImaged (output_postfix, separate_folder, output_ext; MONAI 1.3's
  defaults "trans", true, ".nii.gz") and writes a label volume defined in WORLD coordinates (tests/mdai/standin/
  standin_infer.py, the same label function as the MMAR stand-in), on the grid the harness's behaviour file
  (MDAI_STANDIN_BEHAVIOUR) asks for;
- classification: reads the config's saver (SaveClassificationd in the postprocessing, or a ClassificationSaver
  handler; its filename, default "predictions.csv"), what the postprocessing hands it (an Activationsd sigmoid makes
  the classes independent; an AsDiscreted argmax makes it one class index, with to_onehot a one-hot row) and the
  class count (metadata.json's num_channels), and writes the CSV as MONAI's CSVSaver does: one row per input,
  "<input path>,<value>,...", no header. Each input's values come from its SOPInstanceUID (standin_infer.py's
  class_probabilities): read with pydicom from a DICOM input, from the file name of a PNG input (whose PNG structure
  is checked). The harness's record gets what was written, for its expectations.

A bad request exits with status 3, as the MMAR stand-in does.
"""
import json
import os
import sys

STANDIN = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))
sys.path.insert(0, STANDIN)

from standin_infer import class_probabilities, refuse, saved_stem, segment  # noqa: E402


def _short(target):
    return target.split(".")[-1] if isinstance(target, str) else ""


def _handlers(config):
    handlers = config.get("evaluator", {}).get("val_handlers", config.get("handlers", []))
    if isinstance(handlers, str) and handlers.startswith("@"):
        handlers = config.get(handlers[1:], [])
    return [h for h in handlers if isinstance(h, dict) and not h.get("_disabled_")]


def _classification_saver(config):
    """(saver, the post-transforms before it) as MONAI would run them; refuses what the interface cannot read."""
    post = config.get("postprocessing", {})
    transforms = [t for t in (post.get("transforms", []) if isinstance(post, dict) else post) if isinstance(t, dict)]
    savers = [(t, transforms[:i]) for i, t in enumerate(transforms) if _short(t.get("_target_")) == "SaveClassificationd"]
    savers += [(h, transforms) for h in _handlers(config) if _short(h.get("_target_")) == "ClassificationSaver"]
    if len(savers) != 1:
        refuse("the bundle should have one classification saver, not %d" % len(savers))
    saver, before = savers[0]
    if saver.get("output_dir") != "@output_dir":
        refuse("the classification saver writes to %r, not @output_dir" % saver.get("output_dir"))
    return saver, before


def _written_content(before):
    content, multi_label = "probabilities", False
    for t in before:
        if _short(t.get("_target_")) == "Activationsd" and t.get("sigmoid") is True:
            multi_label = True
        if _short(t.get("_target_")) == "AsDiscreted" and t.get("argmax") is True:
            content = "one_hot" if t.get("to_onehot") not in (None, False, 0) else "labels"
    return content, multi_label


def _instance_uid(path):
    if path.endswith(".png"):
        with open(path, "rb") as f:
            head = f.read(24)
        if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
            refuse("%s is not a PNG file" % path)
        return saved_stem(path)
    import pydicom

    ds = pydicom.dcmread(path)
    ds.pixel_array  # a file MONAI could not read would fail here, as LoadImage would
    return str(ds.SOPInstanceUID)


def classify(config, meta, datalist, output_dir, behaviour, record):
    saver, before = _classification_saver(config)
    content, multi_label = _written_content(before)
    count = int(meta["network_data_format"]["outputs"]["pred"]["num_channels"])
    rows = []
    for path in datalist:
        sop = _instance_uid(path)
        values = class_probabilities(sop, count, multi_label, sop in behaviour.get("quiet", []))
        best = max(range(count), key=lambda k: values[k])
        if content == "labels":
            values = [float(best)]
        elif content == "one_hot":
            values = [1.0 if k == best else 0.0 for k in range(count)]
        rows.append(path + "," + ",".join(repr(float(v)) for v in values))
    path = os.path.join(output_dir, saver.get("filename", "predictions.csv"))
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    print("standin: wrote %s (%d rows, %s)" % (path, len(rows), content), flush=True)
    record.update({"output": path, "rows": len(rows), "content": content, "classes": count,
                   "multi_label": multi_label})


def _saver(config):
    post = config.get("postprocessing", {})
    transforms = post.get("transforms", []) if isinstance(post, dict) else post
    savers = [t for t in transforms if isinstance(t, dict) and t.get("_target_") in ("SaveImaged", "SaveImage")]
    if len(savers) != 1:
        refuse("the bundle's postprocessing should have one SaveImaged, not %d" % len(savers))
    return savers[0]


class ConfigWorkflow:
    def __init__(self, config_file, meta_file=None, logging_file=None, workflow_type=None, **override):
        with open(os.environ["MDAI_STANDIN_BEHAVIOUR"]) as f:
            self.behaviour = json.load(f)
        if workflow_type != "infer":
            refuse("workflow_type is %r, not 'infer'" % workflow_type)
        # The datalist goes to "datalist" (file paths) or, for a config without one, to the dataset's data (items).
        datalist_ids = [k for k in override if k not in ("bundle_root", "output_dir")]
        if sorted(override) != sorted(["bundle_root", "output_dir"] + datalist_ids) or len(datalist_ids) != 1 \
                or datalist_ids[0] not in ("datalist", "dataset::data"):
            refuse("overrides %s, not bundle_root, output_dir and datalist (or dataset::data)" % sorted(override))
        items = override[datalist_ids[0]]
        if datalist_ids[0] == "dataset::data":
            if not all(isinstance(i, dict) and list(i) == ["image"] for i in items):
                refuse("the dataset's data %r is not items {'image': path}" % items)
            items = [i["image"] for i in items]
        self.inputs = items
        root = override["bundle_root"]
        if os.path.normpath(config_file) != os.path.join(root, "configs", "inference.json"):
            refuse("config_file %s is not the bundle's configs/inference.json" % config_file)
        if os.path.normpath(meta_file) != os.path.join(root, "configs", "metadata.json"):
            refuse("meta_file %s is not the bundle's configs/metadata.json" % meta_file)
        if not all(isinstance(p, str) and os.path.isfile(p) for p in self.inputs):
            refuse("the datalist %r does not name existing files" % self.inputs)
        if not os.path.isdir(override["output_dir"]):
            refuse("output_dir %s does not exist" % override["output_dir"])
        with open(config_file) as f:
            self.config = json.load(f)
        with open(meta_file) as f:
            self.meta = json.load(f)
        self.override = override
        self.ran = False
        if self.behaviour.get("task") == "classification":
            return
        saver = _saver(self.config)
        self.behaviour["naming"] = {"postfix": saver.get("output_postfix", "trans"),
                                    "ext": saver.get("output_ext", ".nii.gz"),
                                    "separate_folder": saver.get("separate_folder", True)}

    def initialize(self):
        print("standin: ConfigWorkflow initialised on %s" % self.override["bundle_root"], flush=True)

    def run(self):
        if self.behaviour.get("fail"):
            for n in range(1, 121):
                print("standin: log line %d" % n)
            print("RuntimeError: CUDA out of memory (stand-in failure)", flush=True)
            sys.exit(1)
        record = {"inputs": self.inputs, "overrides": self.override}
        if self.behaviour.get("no_output"):  # a run that ends without SaveImaged output
            os.makedirs(os.path.join(self.override["output_dir"], "logs"), exist_ok=True)
            with open(os.path.join(self.override["output_dir"], "logs", "metrics.csv"), "w") as f:
                f.write("dice,0\n")
            self.ran = True
            return
        if self.behaviour.get("task") == "classification":
            classify(self.config, self.meta, self.inputs, self.override["output_dir"], self.behaviour, record)
        else:
            segment(self.inputs, self.override["output_dir"], self.behaviour, record)
        with open(self.behaviour["record"], "w") as f:
            json.dump(record, f)
        self.ran = True

    def finalize(self):
        if not self.ran:
            refuse("finalize() before run()")
