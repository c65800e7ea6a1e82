#!/usr/bin/env python3
"""The small-volume inference peer for build.ps1 -Task Bench: MONAI itself running each golden pipeline case.

Runs a case's config_inference.json the way the golden set's runner ran it (tests/fixtures/golden/MANIFEST.md,
"pipelines/<case>/"): monai.transforms.<name>(**args) for the pre- and post-transforms, monai.inferers.<name>(**args),
"@pre_transforms" is the Compose of the pre-transforms, {MMAR_TORCHSCRIPT} is the case's model, {MMAR_EVAL_OUTPUT_PATH}
an output folder; one dict {"image": path} goes through the pre-transforms, the inferer gets image[None], output[0]
goes through the post-transforms (SaveImaged writes the label file, as ours does). The model is loaded once per case
and every case is run once to warm up before it is timed; the best of N runs is reported, per case, as JSON, with
the time its model's forward passes took inside that run (what no faithful implementation can skip).

MONAI is not a Debian package: point MDAICLARA_MONAI at a folder holding MONAI's `monai` package (1.3.2 for these
configs), e.g. the tag's source tree; it needs python3-torch, python3-nibabel, python3-pil and python3-skimage.
Usage: monai_pipeline_peer.py <golden pipelines folder> <output folder> <repeat> <case> [<case> ...]
"""
import json
import os
import sys
import time


def main():
    pipelines, output, repeat, cases = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    monai_path = os.environ.get("MDAICLARA_MONAI")
    if monai_path:
        sys.path.insert(0, monai_path)
    import torch
    torch.set_num_threads(int(os.environ.get("MDAICLARA_BENCH_THREADS", "2")))
    import monai
    import monai.inferers
    import monai.transforms

    golden = os.path.dirname(os.path.abspath(pipelines))
    results = {"monai": monai.__version__, "torch": torch.__version__, "threads": torch.get_num_threads(), "cases": {}}
    for name in cases:
        case_dir = os.path.join(pipelines, name)
        with open(os.path.join(case_dir, "case.json")) as f:
            case = json.load(f)
        out_dir = os.path.join(output, name)
        os.makedirs(out_dir, exist_ok=True)
        model_path = os.path.join(golden, case["model"])
        with open(os.path.join(case_dir, "config_inference.json")) as f:
            text = f.read().replace("{MMAR_TORCHSCRIPT}", model_path).replace("{MMAR_EVAL_OUTPUT_PATH}", out_dir)
        config = json.loads(text)
        model = torch.jit.load(model_path, map_location="cpu").eval()

        def build(entries, pre=None):
            made = []
            for entry in entries:
                args = dict(entry.get("args", {}))
                if args.get("transform") == "@pre_transforms":
                    args["transform"] = pre
                made.append(getattr(monai.transforms, entry["name"])(**args))
            return monai.transforms.Compose(made)

        pre = build(config["pre_transforms"])
        post = build(config["post_transforms"], pre)
        inferer_spec = config["inferer"]
        inferer = getattr(monai.inferers, inferer_spec["name"])(**inferer_spec.get("args", {}))
        image_path = os.path.join(golden, case["input"]) if "input" in case else None
        if image_path is None:
            with open(os.path.join(case_dir, "dataset.json")) as f:
                item = json.load(f)["test"][0]
            image_path = os.path.join(golden, item["image"] if isinstance(item, dict) else item)

        forward_seconds = []

        def network(batch):  # the model, with the time of its forward passes kept
            start = time.perf_counter()
            out = model(batch)
            forward_seconds[-1] += time.perf_counter() - start
            return out

        def run():
            forward_seconds.append(0.0)
            data = pre({"image": image_path})
            with torch.no_grad():
                data["pred"] = inferer(data["image"][None], network)[0]
            return post(data)

        run()  # warm-up: first calls of the TorchScript executor, file cache
        forward_seconds.clear()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        best = times.index(min(times))
        results["cases"][name] = {"seconds_best": times[best], "seconds_median": sorted(times)[len(times) // 2],
                                  "forward_seconds_of_best": forward_seconds[best]}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
