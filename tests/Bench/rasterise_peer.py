#!/usr/bin/python3
"""The OpenCV side of the rasterising benchmark (Invoke-Bench.ps1, section 7).

  make <polygons.json> <count> <seed>   writes <count> MD.ai freeform annotations' vertices (float pixels, a few off
                                        the 512x512 image) as {"width", "height", "polygons": [[[x, y], ...], ...]}
  draw <polygons.json> <repeat>         draws them as mdai-client-py's load_mask draws a freeform annotation
                                        (np.array(vertices).reshape((-1, 2)), cv2.fillPoly(mask, np.int32([vertices]), v))
                                        into one 512x512 uint8 plane, annotation i with value i % 250 + 1, later over
                                        earlier; prints {"seconds": best of <repeat>, "sha256": of the final plane,
                                        "fill_seconds": the same with the int32 arrays made beforehand (fillPoly alone)}
"""
import hashlib
import json
import math
import random
import sys
import time

import cv2
import numpy as np


def make(path, count, seed):
    rng = random.Random(seed)
    w = h = 512
    polygons = []
    for _ in range(count):
        cx, cy = rng.uniform(-20, w + 20), rng.uniform(-20, h + 20)
        radius = rng.uniform(4, 60)
        n = rng.randint(16, 120)
        polygon = []
        for k in range(n):
            a = 2 * math.pi * k / n
            r = radius * rng.uniform(0.6, 1.0)
            polygon.append([round(cx + r * math.cos(a), 2), round(cy + r * math.sin(a), 2)])
        polygons.append(polygon)
    with open(path, "w") as f:
        json.dump({"width": w, "height": h, "polygons": polygons}, f, separators=(",", ":"))


def draw(path, repeat):
    with open(path) as f:
        data = json.load(f)
    polygons = data["polygons"]
    best, digest = float("inf"), None
    for _ in range(repeat):
        mask = np.zeros((data["height"], data["width"]), dtype=np.uint8)
        start = time.perf_counter()
        for i, polygon in enumerate(polygons):
            vertices = np.array(polygon).reshape((-1, 2))
            cv2.fillPoly(mask, np.int32([vertices]), i % 250 + 1)
        best = min(best, time.perf_counter() - start)
        digest = hashlib.sha256(mask.tobytes()).hexdigest()
    arrays = [np.int32([np.array(p).reshape((-1, 2))]) for p in polygons]
    fill_best = float("inf")
    for _ in range(repeat):
        mask = np.zeros((data["height"], data["width"]), dtype=np.uint8)
        start = time.perf_counter()
        for i, a in enumerate(arrays):
            cv2.fillPoly(mask, a, i % 250 + 1)
        fill_best = min(fill_best, time.perf_counter() - start)
        assert hashlib.sha256(mask.tobytes()).hexdigest() == digest
    print(json.dumps({"seconds": best, "fill_seconds": fill_best, "sha256": digest, "polygons": len(polygons), "opencv": cv2.__version__}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "draw":
        draw(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
