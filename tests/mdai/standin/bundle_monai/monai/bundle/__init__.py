"""Stand-in for monai.bundle.ConfigWorkflow (tests only), in place of MONAI's bundle runner.

It checks what the interface code asks for (an "infer" workflow on the bundle's own config and metadata files, with
bundle_root, datalist and output_dir overridden and nothing else), reads the bundle's inference config for its
SaveImaged (output_postfix, separate_folder, output_ext; MONAI 1.3's defaults "trans", true, ".nii.gz"), and on run()
writes what that SaveImaged would write: a label volume defined in WORLD coordinates (tests/mdai/standin/
standin_infer.py, the same label function as the MMAR stand-in), on the grid the harness's behaviour file
(MDAI_STANDIN_BEHAVIOUR) asks for. A bad request exits with status 3, as the MMAR stand-in does.
"""
import json
import os
import sys

STANDIN = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))
sys.path.insert(0, STANDIN)

from standin_infer import refuse, segment  # noqa: E402


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
        if sorted(override) != ["bundle_root", "datalist", "output_dir"]:
            refuse("overrides %s, not bundle_root, datalist and output_dir" % sorted(override))
        root = override["bundle_root"]
        if os.path.normpath(config_file) != os.path.join(root, "configs", "inference.json"):
            refuse("config_file %s is not the bundle's configs/inference.json" % config_file)
        if os.path.normpath(meta_file) != os.path.join(root, "configs", "metadata.json"):
            refuse("meta_file %s is not the bundle's configs/metadata.json" % meta_file)
        if not all(isinstance(p, str) and os.path.isfile(p) for p in override["datalist"]):
            refuse("the datalist %r does not name existing files" % override["datalist"])
        if not os.path.isdir(override["output_dir"]):
            refuse("output_dir %s does not exist" % override["output_dir"])
        with open(config_file) as f:
            saver = _saver(json.load(f))
        self.behaviour["naming"] = {"postfix": saver.get("output_postfix", "trans"),
                                    "ext": saver.get("output_ext", ".nii.gz"),
                                    "separate_folder": saver.get("separate_folder", True)}
        self.override = override
        self.ran = False

    def initialize(self):
        print("standin: ConfigWorkflow initialised on %s" % self.override["bundle_root"], flush=True)

    def run(self):
        if self.behaviour.get("fail"):
            for n in range(1, 121):
                print("standin: log line %d" % n)
            print("RuntimeError: CUDA out of memory (stand-in failure)", flush=True)
            sys.exit(1)
        record = {"inputs": self.override["datalist"], "overrides": self.override}
        if self.behaviour.get("no_output"):  # a run that ends without SaveImaged output
            os.makedirs(os.path.join(self.override["output_dir"], "logs"), exist_ok=True)
            with open(os.path.join(self.override["output_dir"], "logs", "metrics.csv"), "w") as f:
                f.write("dice,0\n")
            self.ran = True
            return
        segment(self.override["datalist"], self.override["output_dir"], self.behaviour, record)
        with open(self.behaviour["record"], "w") as f:
            json.dump(record, f)
        self.ran = True

    def finalize(self):
        if not self.ran:
            refuse("finalize() before run()")
