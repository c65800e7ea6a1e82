#!/usr/bin/env python3
"""Generate the MdaiClara sample data: a synthetic CT phantom study and a really-trained demo MMAR.

Run from the repository root with the Debian torch build:

    /usr/bin/python3 samples/make_sample.py            # everything (about 6-7 minutes on 2 CPU cores)
    /usr/bin/python3 samples/make_sample.py --skip-training
        # keep models/model.ts and docs/training_report.json; rewrite phantom, DICOM and MMAR text files

Outputs (all under samples/):
  phantom/phantom_ct.nii.gz        int16 HU, 96 x 88 x 40 voxels, 0.8 x 0.8 x 2.5 mm, LPS-like affine
  phantom/phantom_truth.nii.gz     uint8 labels 0 background / 1 organ / 2 lesion, same grid
  phantom/phantom_params.json      analytic phantom definition + geometry
  phantom/dicom/IM0001..IM0040.dcm the same volume as a DICOM CT series (pydicom)
  clara_pt_phantom_ct_segmentation/   Clara Train 4.1 style MMAR (configs, commands, docs, models/model.ts)
  README.md                        description + measured figures (generated from the run)

Everything is deterministic: fixed seeds, torch.set_num_threads(2), PYTHONHASHSEED=0.
Needs: torch (1.13), numpy, nibabel, pydicom (2.3).  No MONAI: the inference pipeline used for the
reported Dice figures is a re-implementation of the MONAI 0.8.1 semantics of the MMAR's
config_inference.json (see run_pipeline below); it is an approximation, not a MONAI golden reference.
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import sys
import time

# TorchScript writes the Final constants of nn.Conv3d etc. in set-iteration order, which depends on
# Python's string hash seed: fix it so model.ts is byte-reproducible.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import nibabel as nib
import numpy as np
import pydicom
import torch
import torch.nn as nn
import torch.nn.functional as F
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian

torch.set_num_threads(2)

HERE = os.path.dirname(os.path.abspath(__file__))
PHANTOM_DIR = os.path.join(HERE, "phantom")
DICOM_DIR = os.path.join(PHANTOM_DIR, "dicom")
MMAR_NAME = "clara_pt_phantom_ct_segmentation"
MMAR_DIR = os.path.join(HERE, MMAR_NAME)

# ------------------------------------------------------------------------------------------------
# Contract of the model (single source of truth for the configs written below)
# ------------------------------------------------------------------------------------------------
NET_NAME = "PhantomSegNet3D"
NET_CHANNELS = (8, 16, 32, 32)
IN_CHANNELS = 1
OUT_CHANNELS = 3
CLASS_NAMES = ["background", "organ", "lesion"]
PIXDIM = (1.5, 1.5, 2.0)          # training grid, RAS
A_MIN, A_MAX = -57, 164           # ScaleIntensityRanged window -> [0, 1], clip
ROI = (64, 64, 32)                # SlidingWindowInferer roi_size
SW_BATCH = 2
OVERLAP = 0.25
CROP = (48, 48, 32)               # random training crops

# Seeds
SEED_PHANTOM_NOISE = 20240501
SEED_TRAIN = 1234
SEED_BN_CALIB = 4321
SEED_HELDOUT = 987654
N_HELDOUT = 10

# Training schedule (fixed iteration count -> deterministic; ~7 minutes on 2 cores)
TRAIN_ITERS = 1500
BATCH = 2
LR = 3e-3
LR_MIN = 3e-5
WARMUP = 30
CE_WEIGHTS = (0.5, 1.0, 2.0)
BN_CALIB_BATCHES = 40

# Sample phantom acquisition grid (DICOM-derived NIfTI: LPS-like, anisotropic, not the training grid)
SAMPLE_SHAPE = (96, 88, 40)       # (i = DICOM column, j = DICOM row, k = slice)
SAMPLE_SPACING = (0.8, 0.8, 2.5)
SAMPLE_AFFINE = np.array([
    [-0.8, 0.0, 0.0, 38.0],
    [0.0, -0.8, 0.0, 34.8],
    [0.0, 0.0, 2.5, -120.0],
    [0.0, 0.0, 0.0, 1.0],
])
UID_ROOT = "2.25."


# ================================================================================================
# Analytic phantom
# ================================================================================================
def rot_matrix(yaw_deg, tilt_deg):
    """Rotation about z (yaw) then about x (tilt): R = Rz(yaw) @ Rx(tilt)."""
    a, b = math.radians(yaw_deg), math.radians(tilt_deg)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    return rz @ rx


def in_ellipsoid(e, x, y, z):
    """e: dict(c=[3], r=[3], yaw, tilt); x,y,z world RAS mm arrays."""
    R = rot_matrix(e.get("yaw", 0.0), e.get("tilt", 0.0))
    dx, dy, dz = x - e["c"][0], y - e["c"][1], z - e["c"][2]
    # local = R^T d
    lx = R[0, 0] * dx + R[1, 0] * dy + R[2, 0] * dz
    ly = R[0, 1] * dx + R[1, 1] * dy + R[2, 1] * dz
    lz = R[0, 2] * dx + R[1, 2] * dy + R[2, 2] * dz
    return (lx / e["r"][0]) ** 2 + (ly / e["r"][1]) ** 2 + (lz / e["r"][2]) ** 2 <= 1.0


def analytic(p, x, y, z):
    """HU (float32) and label (uint8) of phantom p at world RAS points x, y, z (mm)."""
    b = p["body"]
    ex, ey = x - b["cx"], y - b["cy"]
    outer = (ex / b["ax"]) ** 2 + (ey / b["ay"]) ** 2 <= 1.0
    inner = (ex / (b["ax"] - b["fat"])) ** 2 + (ey / (b["ay"] - b["fat"])) ** 2 <= 1.0
    hu = np.full(x.shape, -1000.0, np.float32)
    lab = np.zeros(x.shape, np.uint8)
    hu[outer] = p["fat_hu"]
    hu[inner] = p["tissue_hu"]
    s = p["spine"]
    rs = np.sqrt((x - s["cx"]) ** 2 + (y - s["cy"]) ** 2)
    spine = inner & (rs <= s["r"])
    organ = inner & ~spine & in_ellipsoid(p["organ"], x, y, z)
    hu[organ] = p["organ"]["hu"]
    lab[organ] = 1
    if p.get("lesion"):
        les = organ & in_ellipsoid(p["lesion"], x, y, z)
        hu[les] = p["lesion"]["hu"]
        lab[les] = 2
    hu[spine] = s["hu_marrow"]
    hu[spine & (rs > s["r"] - s["cortex"])] = s["hu_cortex"]
    return hu, lab


def world_coords(affine, shape, offset=(0.0, 0.0, 0.0)):
    """World RAS coordinates of voxel centres (+ index offset) of a grid, each array of `shape`."""
    ii = [np.arange(n, dtype=np.float64) + o for n, o in zip(shape, offset)]
    I, J, K = np.meshgrid(*ii, indexing="ij")
    A = affine
    x = A[0, 0] * I + A[0, 1] * J + A[0, 2] * K + A[0, 3]
    y = A[1, 0] * I + A[1, 1] * J + A[1, 2] * K + A[1, 3]
    z = A[2, 0] * I + A[2, 1] * J + A[2, 2] * K + A[2, 3]
    return x, y, z


def render(p, affine, shape, rng, supersample=1, noise=True):
    """Render phantom p on a voxel grid: (hu float32 with noise, labels uint8 at voxel centres)."""
    lab = analytic(p, *world_coords(affine, shape))[1]
    if supersample > 1:
        hu = np.zeros(shape, np.float64)
        sub = [(k + 0.5) / supersample - 0.5 for k in range(supersample)]
        for ox in sub:
            for oy in sub:
                for oz in sub:
                    hu += analytic(p, *world_coords(affine, shape, (ox, oy, oz)))[0]
        hu = (hu / supersample ** 3).astype(np.float32)
    else:
        hu = analytic(p, *world_coords(affine, shape))[0]
    if noise and p["noise_sd"] > 0:
        n = rng.standard_normal(shape).astype(np.float32)
        if p.get("noise_smooth"):
            t = torch.from_numpy(n)[None, None]
            t = F.avg_pool3d(F.pad(t, (1, 1, 1, 1, 1, 1), mode="replicate"), 3, stride=1)
            n = t[0, 0].numpy()
            n = n / max(float(n.std()), 1e-6)
        hu = hu + p["noise_sd"] * n
    return hu.astype(np.float32), lab


def sample_phantom_params():
    """The fixed phantom of samples/phantom (world RAS mm; patient's left = RAS x < 0)."""
    zc = -68.0
    return {
        "body": {"cx": 0.0, "cy": 0.0, "ax": 34.0, "ay": 28.0, "fat": 3.0},
        "tissue_hu": 40.0,
        "fat_hu": -100.0,
        "organ": {"c": [-14.0, 4.0, zc], "r": [13.0, 10.0, 22.0], "yaw": 20.0, "tilt": 8.0, "hu": 65.0},
        "lesion": {"c": [-17.0, 6.0, zc + 4.0], "r": [6.0, 5.0, 7.0], "yaw": 0.0, "tilt": 0.0, "hu": 20.0},
        "spine": {"cx": 0.0, "cy": -17.0, "r": 6.0, "cortex": 1.6, "hu_cortex": 750.0, "hu_marrow": 400.0},
        "noise_sd": 6.0,
        "noise_smooth": False,
    }


def random_phantom(rng):
    """Randomised phantom for training / held-out tests (organ centred at world z = 0)."""
    ax = rng.uniform(26.0, 46.0)
    ay = ax * rng.uniform(0.68, 0.88)
    fat = rng.uniform(1.5, 5.0)
    tissue = rng.uniform(28.0, 52.0)
    organ_hu = tissue + rng.uniform(15.0, 38.0)
    side = -1.0 if rng.random() < 0.75 else 1.0          # mostly on the patient's left (RAS x < 0)
    r = [rng.uniform(8.5, 16.0), rng.uniform(7.0, 12.5), rng.uniform(12.0, 30.0)]
    organ = {"c": [side * rng.uniform(0.2, 0.5) * ax, rng.uniform(-0.1, 0.35) * ay, 0.0],
             "r": r, "yaw": rng.uniform(-45, 45), "tilt": rng.uniform(-15, 15), "hu": organ_hu}
    lesion = None
    if rng.random() < 0.85:
        lr = [min(rng.uniform(3.5, 8.0), 0.7 * r[i]) for i in range(3)]
        R = rot_matrix(organ["yaw"], organ["tilt"])
        off = R @ (rng.uniform(-0.35, 0.35, 3) * np.array(r))
        lesion = {"c": [organ["c"][i] + float(off[i]) for i in range(3)], "r": lr,
                  "yaw": rng.uniform(-90, 90), "tilt": rng.uniform(-20, 20),
                  "hu": min(rng.uniform(5.0, 35.0), organ_hu - 22.0)}
    spine = {"cx": rng.uniform(-3, 3), "cy": -(ay - fat) * rng.uniform(0.45, 0.7), "r": rng.uniform(5.0, 8.5),
             "cortex": rng.uniform(1.2, 2.2), "hu_cortex": rng.uniform(550, 950), "hu_marrow": rng.uniform(200, 450)}
    return {"body": {"cx": 0.0, "cy": 0.0, "ax": ax, "ay": ay, "fat": fat}, "tissue_hu": tissue,
            "fat_hu": rng.uniform(-130, -70), "organ": organ, "lesion": lesion, "spine": spine,
            "noise_sd": rng.uniform(3.0, 15.0), "noise_smooth": bool(rng.random() < 0.5)}


# ================================================================================================
# Resampling helpers (index-space trilinear, = MONAI Spacing with axis-aligned affines)
# ================================================================================================
def sample_at(vol, ix, iy, iz, mode="bilinear", padding="border"):
    """vol: float tensor (C,X,Y,Z); ix, iy, iz: 1-D arrays of (fractional) input indices.
    Returns (C, len(ix), len(iy), len(iz)) sampled at voxel-centre index positions."""
    C, X, Y, Z = vol.shape

    def norm(i, n):
        i = torch.as_tensor(np.asarray(i, np.float64))
        return (2.0 * i / (n - 1) - 1.0) if n > 1 else torch.zeros_like(i)

    gx, gy, gz = torch.meshgrid(norm(ix, X), norm(iy, Y), norm(iz, Z), indexing="ij")
    grid = torch.stack([gz, gy, gx], -1)[None].to(vol.dtype)        # grid_sample wants (W, H, D) order
    return F.grid_sample(vol[None], grid, mode=mode, padding_mode=padding, align_corners=True)[0]


def scale_intensity(hu):
    return np.clip((hu - A_MIN) / (A_MAX - A_MIN), 0.0, 1.0).astype(np.float32)


def training_sample(rng):
    """One random crop (image scaled to [0,1], labels) on the 1.5 x 1.5 x 2.0 mm RAS training grid."""
    p = random_phantom(rng)
    u = rng.random()
    oc = np.array(p["organ"]["c"])
    if u < 0.55:
        c = oc + rng.uniform(-15, 15, 3)
    elif u < 0.70 and p["lesion"]:
        c = np.array(p["lesion"]["c"]) + rng.uniform(-8, 8, 3)
    else:
        b = p["body"]
        c = np.array([rng.uniform(-b["ax"], b["ax"]), rng.uniform(-b["ay"], b["ay"]), rng.uniform(-45, 45)])
    shape = np.array(CROP)
    sp = np.array(PIXDIM)
    origin = c - sp * (shape - 1) / 2.0
    aff = np.diag(list(sp) + [1.0])
    aff[:3, 3] = origin
    lab = analytic(p, *world_coords(aff, CROP))[1]
    if rng.random() < 0.5:
        hu, _ = render(p, aff, CROP, rng, supersample=2 if rng.random() < 0.5 else 1)
    else:
        # render on a random acquisition grid covering the crop, then trilinear-resample (like Spacingd)
        sa = np.array([rng.uniform(0.7, 1.2)] * 2 + [rng.uniform(1.25, 3.2)])
        lo = origin - sa
        hi = origin + sp * (shape - 1) + sa
        lo = lo - rng.uniform(0, 1, 3) * sa                          # random sampling phase
        na = np.ceil((hi - lo) / sa).astype(int) + 1
        affa = np.diag(list(sa) + [1.0])
        affa[:3, 3] = lo
        hua, _ = render(p, affa, tuple(na), rng)
        idx = [(origin[a] + sp[a] * np.arange(shape[a]) - lo[a]) / sa[a] for a in range(3)]
        hu = sample_at(torch.from_numpy(hua)[None], *idx)[0].numpy()
    hu = hu + rng.uniform(-8, 8)                                     # mild global intensity shift
    return scale_intensity(hu), lab


# ================================================================================================
# Network
# ================================================================================================
class ConvBNReLU(nn.Module):
    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm3d(cout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)))


class PhantomSegNet3D(nn.Module):
    """Small 3-level 3-D UNet: (N,1,X,Y,Z) float32 -> (N,3,X,Y,Z) logits.

    Encoder: two conv3x3x3+BN+ReLU per level (8, 16, 32 channels), 2x max-pooling, bottleneck 32.
    Decoder: trilinear upsampling (align_corners=False) to the skip's size, concat, conv+BN+ReLU.
    Any X, Y, Z >= 8 works (multiples of 8 map exactly through the pooling).
    """

    def __init__(self, spatial_dims: int = 3, in_channels: int = 1, out_channels: int = 3,
                 channels=(8, 16, 32, 32)):
        super().__init__()
        assert spatial_dims == 3
        c0, c1, c2, c3 = channels
        self.enc0 = nn.Sequential(ConvBNReLU(in_channels, c0), ConvBNReLU(c0, c0))
        self.enc1 = nn.Sequential(ConvBNReLU(c0, c1), ConvBNReLU(c1, c1))
        self.enc2 = nn.Sequential(ConvBNReLU(c1, c2), ConvBNReLU(c2, c2))
        self.bottleneck = ConvBNReLU(c2, c3)
        self.dec2 = ConvBNReLU(c3 + c2, c2)
        self.dec1 = ConvBNReLU(c2 + c1, c1)
        self.dec0 = ConvBNReLU(c1 + c0, c0)
        self.head = nn.Conv3d(c0, out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        e0 = self.enc0(x)
        e1 = self.enc1(F.max_pool3d(e0, 2))
        e2 = self.enc2(F.max_pool3d(e1, 2))
        b = self.bottleneck(F.max_pool3d(e2, 2))
        d2 = self.dec2(torch.cat([F.interpolate(b, size=e2.shape[2:], mode="trilinear", align_corners=False), e2], 1))
        d1 = self.dec1(torch.cat([F.interpolate(d2, size=e1.shape[2:], mode="trilinear", align_corners=False), e1], 1))
        d0 = self.dec0(torch.cat([F.interpolate(d1, size=e0.shape[2:], mode="trilinear", align_corners=False), e0], 1))
        return self.head(d0)


def soft_dice_loss(logits, y):
    p = torch.softmax(logits, 1)
    losses = []
    for c in range(1, OUT_CHANNELS):
        g = (y == c).float()
        pc = p[:, c]
        inter = (pc * g).sum()
        losses.append(1.0 - (2.0 * inter + 1.0) / (pc.sum() + g.sum() + 1.0))
    return sum(losses) / len(losses)


def train_model():
    torch.manual_seed(SEED_TRAIN)
    rng = np.random.default_rng(SEED_TRAIN)
    model = PhantomSegNet3D(3, IN_CHANNELS, OUT_CHANNELS, NET_CHANNELS)
    opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=1e-5)
    ce_w = torch.tensor(CE_WEIGHTS)
    log = []
    t0 = time.time()
    run_loss = None
    for it in range(TRAIN_ITERS):
        if it < WARMUP:
            lr = LR * (it + 1) / WARMUP
        else:
            q = (it - WARMUP) / max(1, TRAIN_ITERS - WARMUP)
            lr = LR_MIN + 0.5 * (LR - LR_MIN) * (1 + math.cos(math.pi * q))
        for g in opt.param_groups:
            g["lr"] = lr
        xs, ys = zip(*[training_sample(rng) for _ in range(BATCH)])
        x = torch.from_numpy(np.stack(xs))[:, None]
        y = torch.from_numpy(np.stack(ys).astype(np.int64))
        model.train()
        logits = model(x)
        loss = F.cross_entropy(logits, y, weight=ce_w) + soft_dice_loss(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run_loss = float(loss) if run_loss is None else 0.95 * run_loss + 0.05 * float(loss)
        if (it + 1) % 50 == 0 or it == 0:
            el = time.time() - t0
            print("  iter %4d/%d  loss %.4f (smoothed %.4f)  lr %.2e  %.0f s" % (it + 1, TRAIN_ITERS, float(loss), run_loss, lr, el),
                  flush=True)
            log.append({"iter": it + 1, "loss": round(float(loss), 5), "smoothed_loss": round(run_loss, 5)})
    train_s = time.time() - t0

    # Re-estimate BatchNorm running statistics with a cumulative average over fresh batches
    rng2 = np.random.default_rng(SEED_BN_CALIB)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm3d)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(BN_CALIB_BATCHES):
            xs, _ = zip(*[training_sample(rng2) for _ in range(BATCH)])
            model(torch.from_numpy(np.stack(xs))[:, None])
    for m in bns:
        m.momentum = 0.1
    model.eval()
    return model, {"iterations": TRAIN_ITERS, "train_seconds": round(train_s, 1), "loss_log": log}


# ================================================================================================
# Inference pipeline (MONAI 0.8.1 semantics of config_inference.json, axis-aligned affines only)
# ================================================================================================
def sliding_window(model, img, roi=ROI, sw_batch=SW_BATCH, overlap=OVERLAP):
    """img: (1,1,X,Y,Z) tensor -> (1,C,X,Y,Z) logits; constant blending, MONAI 0.8.1 window placement."""
    S = list(img.shape[2:])
    pads = []
    for s, r in zip(S, roi):
        d = max(r - s, 0)
        pads.append((d // 2, d - d // 2))
    flat = []
    for lo, hi in reversed(pads):
        flat += [lo, hi]
    x = F.pad(img, flat, mode="constant", value=0.0)
    P = list(x.shape[2:])
    interval = []
    for s, r in zip(P, roi):
        interval.append(r if r == s else max(int(r * (1 - overlap)), 1))
    starts = []
    for s, r, iv in zip(P, roi, interval):
        num = int(math.ceil(float(s) / iv))
        nd = next((d for d in range(num) if d * iv + r >= s), None)
        nd = 1 if nd is None else nd + 1
        starts.append([d * iv - max(d * iv + r - s, 0) for d in range(nd)])
    windows = [(a, b, c) for a in starts[0] for b in starts[1] for c in starts[2]]
    out = None
    cnt = torch.zeros(1, 1, *P)
    with torch.no_grad():
        for w0 in range(0, len(windows), sw_batch):
            ws = windows[w0:w0 + sw_batch]
            batch = torch.cat([x[:, :, a:a + roi[0], b:b + roi[1], c:c + roi[2]] for a, b, c in ws], 0)
            y = model(batch)
            if out is None:
                out = torch.zeros(1, y.shape[1], *P)
            for n, (a, b, c) in enumerate(ws):
                out[:, :, a:a + roi[0], b:b + roi[1], c:c + roi[2]] += y[n:n + 1]
                cnt[:, :, a:a + roi[0], b:b + roi[1], c:c + roi[2]] += 1
    out = out / cnt
    return out[:, :, pads[0][0]:pads[0][0] + S[0], pads[1][0]:pads[1][0] + S[1], pads[2][0]:pads[2][0] + S[2]], len(windows)


def to_ras(data, affine):
    ornt = nib.io_orientation(affine)
    t = nib.orientations.ornt_transform(ornt, nib.orientations.axcodes2ornt("RAS"))
    out = nib.orientations.apply_orientation(data, t)
    return np.ascontiguousarray(out), affine @ nib.orientations.inv_ornt_aff(t, data.shape), ornt


def from_ras(data, ornt):
    t = nib.orientations.ornt_transform(nib.orientations.axcodes2ornt("RAS"), ornt)
    return np.ascontiguousarray(nib.orientations.apply_orientation(data, t))


def run_pipeline(model, hu, affine, truth=None):
    """LoadImage -> EnsureChannelFirst -> Orientation(RAS) -> Spacing(1.5,1.5,2, bilinear) ->
    ScaleIntensityRange -> CropForeground -> SlidingWindow -> softmax -> Invert(crop, spacing
    bilinear, orientation) -> argmax.  Returns dict with labels on both grids (+ Dice if truth)."""
    ras, aff_ras, ornt = to_ras(hu.astype(np.float32), affine)
    s_in = np.sqrt((aff_ras[:3, :3] ** 2).sum(0))
    pix = np.array(PIXDIM)
    out_shape = np.round((np.array(ras.shape) - 1) * s_in / pix + 1.0).astype(int)
    idx = [np.arange(out_shape[a]) * pix[a] / s_in[a] for a in range(3)]
    sp = sample_at(torch.from_numpy(ras)[None], *idx)[0].numpy()
    img = scale_intensity(sp)
    nz = np.nonzero(img > 0)
    box = [(int(a.min()), int(a.max()) + 1) for a in nz]
    crop = img[box[0][0]:box[0][1], box[1][0]:box[1][1], box[2][0]:box[2][1]]
    logits, nwin = sliding_window(model, torch.from_numpy(np.ascontiguousarray(crop))[None, None])
    prob = torch.softmax(logits, 1)[0]
    full = torch.zeros(OUT_CHANNELS, *out_shape)
    full[:, box[0][0]:box[0][1], box[1][0]:box[1][1], box[2][0]:box[2][1]] = prob
    lab_train = full.argmax(0).numpy().astype(np.uint8)
    idx_b = [np.arange(ras.shape[a]) * s_in[a] / pix[a] for a in range(3)]
    back = sample_at(full, *idx_b)
    lab_orig = from_ras(back.argmax(0).numpy().astype(np.uint8), ornt)
    res = {"ras_shape": list(ras.shape), "spacing_shape": [int(v) for v in out_shape],
           "crop_box": [list(b) for b in box], "crop_shape": list(crop.shape), "n_windows": nwin,
           "label_orig": lab_orig, "label_train": lab_train}
    if truth is not None:
        truth_ras = to_ras(truth, affine)[0]
        ni = [np.clip(np.rint(np.arange(out_shape[a]) * pix[a] / s_in[a]).astype(int), 0, ras.shape[a] - 1)
              for a in range(3)]
        truth_train = truth_ras[np.ix_(*ni)]
        res["dice_training_grid"] = dice_all(lab_train, truth_train)
        res["dice_original_grid"] = dice_all(lab_orig, truth)
    return res


def dice(a, b):
    s = int(a.sum()) + int(b.sum())
    return float("nan") if s == 0 else 2.0 * int((a & b).sum()) / s


def dice_all(pred, truth):
    return {CLASS_NAMES[c]: round(dice(pred == c, truth == c), 4) for c in (1, 2)}


# ================================================================================================
# Sample phantom: NIfTI + DICOM
# ================================================================================================
def uid(name):
    """Deterministic 2.25 UID (UUID-derived form, < 2**128)."""
    return UID_ROOT + str(int(hashlib.sha256(("mdaiclara-sample/" + name).encode()).hexdigest()[:32], 16))


def save_nifti(data, affine, path):
    img = nib.Nifti1Image(data, affine)
    img.header.set_xyzt_units("mm", "sec")
    img.set_qform(affine, code=1)
    img.set_sform(affine, code=1)
    img.header["descrip"] = b"MdaiClara synthetic phantom"
    nib.save(img, path)


def fmt_ds(v):
    """Decimal string for DS tags: shortest exact repr of a short decimal (e.g. -34.8, 2.5)."""
    s = ("%.6f" % v).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write_dicom_series(hu, affine, out_dir):
    """One CT Image Storage file per slice k. Pixel (row r, col c) of slice k = NIfTI voxel (i=c, j=r, k)."""
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    nx, ny, nz = hu.shape
    # NIfTI RAS affine -> DICOM LPS geometry
    lps = np.diag([-1.0, -1.0, 1.0, 1.0]) @ affine
    row_dir = lps[:3, 0] / np.linalg.norm(lps[:3, 0])   # direction of increasing column index c (= i)
    col_dir = lps[:3, 1] / np.linalg.norm(lps[:3, 1])   # direction of increasing row index r (= j)
    col_spacing = float(np.linalg.norm(lps[:3, 0]))     # spacing between columns
    row_spacing = float(np.linalg.norm(lps[:3, 1]))     # spacing between rows
    slice_step = float(np.linalg.norm(lps[:3, 2]))
    study_uid, series_uid, frame_uid = uid("study"), uid("series"), uid("frame-of-reference")
    files = []
    for k in range(nz):
        ipp = lps[:3, :3] @ np.array([0.0, 0.0, k]) + lps[:3, 3]
        sop_uid = uid("instance-%04d" % (k + 1))
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CTImageStorage
        meta.MediaStorageSOPInstanceUID = sop_uid
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        meta.ImplementationClassUID = uid("implementation")
        meta.ImplementationVersionName = "MDAICLARA_SMPL"
        fn = os.path.join(out_dir, "IM%04d.dcm" % (k + 1))
        ds = FileDataset(fn, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        ds.SpecificCharacterSet = "ISO_IR 100"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = sop_uid
        ds.StudyDate = ds.SeriesDate = ds.AcquisitionDate = ds.ContentDate = "20240501"
        ds.StudyTime = ds.SeriesTime = "120000"
        ds.AcquisitionTime = ds.ContentTime = "120000.%06d" % (k * 1000)
        ds.AccessionNumber = "SAMPLE0001"
        ds.Modality = "CT"
        ds.Manufacturer = "MdaiClara synthetic phantom"
        ds.InstitutionName = "MdaiClara samples"
        ds.ReferringPhysicianName = ""
        ds.StudyDescription = "Synthetic abdominal CT phantom"
        ds.SeriesDescription = "Phantom 0.8x0.8x2.5 mm (samples/make_sample.py)"
        ds.ManufacturerModelName = "make_sample.py"
        ds.PatientName = "PHANTOM^SAMPLE"
        ds.PatientID = "PHANTOM0001"
        ds.PatientBirthDate = ""
        ds.PatientSex = "O"
        ds.BodyPartExamined = "ABDOMEN"
        ds.SliceThickness = fmt_ds(slice_step)
        ds.SpacingBetweenSlices = fmt_ds(slice_step)
        ds.KVP = "120"
        ds.PatientPosition = "HFS"
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.StudyID = "1"
        ds.SeriesNumber = 1
        ds.AcquisitionNumber = 1
        ds.InstanceNumber = k + 1
        ds.ImagePositionPatient = [fmt_ds(v) for v in ipp]
        ds.ImageOrientationPatient = [fmt_ds(v) for v in list(row_dir) + list(col_dir)]
        ds.FrameOfReferenceUID = frame_uid
        ds.PositionReferenceIndicator = ""
        ds.SliceLocation = fmt_ds(ipp[2])
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.Rows = ny
        ds.Columns = nx
        ds.PixelSpacing = [fmt_ds(row_spacing), fmt_ds(col_spacing)]
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1
        ds.WindowCenter = "40"
        ds.WindowWidth = "400"
        ds.RescaleIntercept = "0"
        ds.RescaleSlope = "1"
        ds.RescaleType = "HU"
        pix = np.ascontiguousarray(hu[:, :, k].T.astype("<i2"))    # (rows = j, cols = i)
        ds.PixelData = pix.tobytes()
        ds.save_as(fn, write_like_original=False)
        files.append(fn)
    return files


def verify_dicom(files, nifti_path):
    """Read the series back (pydicom), place slices by ImagePositionPatient, compare with the NIfTI."""
    img = nib.load(nifti_path)
    ref = np.asarray(img.dataobj)
    ref_aff = img.affine
    dss = [pydicom.dcmread(f) for f in files]
    iop = np.array(dss[0].ImageOrientationPatient, float)
    rdir, cdir = iop[:3], iop[3:]
    normal = np.cross(rdir, cdir)
    dss.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
    vol = np.stack([d.pixel_array.astype(np.float64) * float(d.RescaleSlope) + float(d.RescaleIntercept)
                    for d in dss], -1)                                  # (rows, cols, slices)
    vol = vol.transpose(1, 0, 2)                                        # (cols = i, rows = j, k)
    assert vol.shape == ref.shape, (vol.shape, ref.shape)
    assert np.array_equal(vol, ref.astype(np.float64)), "DICOM pixel values differ from the NIfTI"
    rs, cs = (float(v) for v in dss[0].PixelSpacing)                   # row spacing, column spacing
    ipp = [np.array(d.ImagePositionPatient, float) for d in dss]
    # world (LPS) of voxel (i=c, j=r, k) = IPP_k + c*cs*rowdir + r*rs*coldir ; RAS = diag(-1,-1,1) LPS
    rng = np.random.default_rng(0)
    pts = [(0, 0, 0), (ref.shape[0] - 1, 0, 0), (0, ref.shape[1] - 1, 0), (0, 0, ref.shape[2] - 1),
           tuple(s - 1 for s in ref.shape)] + [tuple(int(rng.integers(0, s)) for s in ref.shape) for _ in range(50)]
    flip = np.array([-1.0, -1.0, 1.0])
    for i, j, k in pts:
        w_dcm = flip * (ipp[k] + i * cs * rdir + j * rs * cdir)
        w_nii = ref_aff[:3, :3] @ np.array([i, j, k], float) + ref_aff[:3, 3]
        assert np.allclose(w_dcm, w_nii, atol=1e-4), ((i, j, k), w_dcm, w_nii)
        assert vol[i, j, k] == ref[i, j, k]
    gaps = np.diff([float(np.dot(normal, p)) for p in ipp])
    assert np.allclose(gaps, gaps[0]) and abs(gaps[0] - float(dss[0].SliceThickness)) < 1e-6
    return True


def make_phantom():
    p = sample_phantom_params()
    rng = np.random.default_rng(SEED_PHANTOM_NOISE)
    hu, lab = render(p, SAMPLE_AFFINE, SAMPLE_SHAPE, rng, supersample=2)
    hu16 = np.clip(np.rint(hu), -1024, 3071).astype(np.int16)
    os.makedirs(PHANTOM_DIR, exist_ok=True)
    ct_path = os.path.join(PHANTOM_DIR, "phantom_ct.nii.gz")
    save_nifti(hu16, SAMPLE_AFFINE, ct_path)
    save_nifti(lab.astype(np.uint8), SAMPLE_AFFINE, os.path.join(PHANTOM_DIR, "phantom_truth.nii.gz"))
    files = write_dicom_series(hu16, SAMPLE_AFFINE, DICOM_DIR)
    verify_dicom(files, ct_path)
    counts = [int((lab == c).sum()) for c in range(3)]
    info = {
        "description": "Analytic phantom of samples/phantom (world coordinates: RAS+ mm, nibabel convention; "
                       "patient's left = negative x). Rendered with 2x2x2 supersampling of the HU at each voxel, "
                       "white Gaussian noise (sd noise_sd HU, seed below), rounded to int16. Labels are the analytic "
                       "label at each voxel centre.",
        "noise_seed": SEED_PHANTOM_NOISE,
        "shape": list(SAMPLE_SHAPE),
        "spacing_mm": list(SAMPLE_SPACING),
        "nifti_affine_ras": SAMPLE_AFFINE.tolist(),
        "axcodes": "".join(nib.aff2axcodes(SAMPLE_AFFINE)),
        "label_voxels_bg_organ_lesion": counts,
        "hu_stats": {"min": int(hu16.min()), "max": int(hu16.max()),
                     "organ_mean": round(float(hu16[lab == 1].mean()), 2),
                     "lesion_mean": round(float(hu16[lab == 2].mean()), 2)},
        "dicom": {
            "files": len(files), "rows": SAMPLE_SHAPE[1], "columns": SAMPLE_SHAPE[0],
            "StudyInstanceUID": uid("study"), "SeriesInstanceUID": uid("series"),
            "FrameOfReferenceUID": uid("frame-of-reference"),
            "ImageOrientationPatient": [1, 0, 0, 0, 1, 0],
            "PixelSpacing": [SAMPLE_SPACING[1], SAMPLE_SPACING[0]],
            "ImagePositionPatient_first": [-SAMPLE_AFFINE[0, 3], -SAMPLE_AFFINE[1, 3], SAMPLE_AFFINE[2, 3]],
            "slice_step_mm": SAMPLE_SPACING[2],
            "mapping": "pixel_array[r, c] of file IM%04d.dcm (InstanceNumber k+1) == NIfTI voxel [i=c, j=r, k]",
        },
        "phantom": p,
    }
    with open(os.path.join(PHANTOM_DIR, "phantom_params.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    return hu16, lab, info


# ================================================================================================
# Held-out evaluation
# ================================================================================================
def heldout_cases():
    rng = np.random.default_rng(SEED_HELDOUT)
    orients = [("LPS", (-1, -1, 1)), ("RAS", (1, 1, 1)), ("LAS", (-1, 1, 1)), ("LPS", (-1, -1, 1)),
               ("RAS", (1, 1, 1)), ("LPI", (-1, -1, -1))]
    cases = []
    for n in range(N_HELDOUT):
        p = random_phantom(rng)
        if not p["lesion"]:                       # held-out cases always have a lesion to score
            p["lesion"] = {"c": list(p["organ"]["c"]), "r": [min(5.0, 0.6 * r) for r in p["organ"]["r"]],
                           "yaw": 0.0, "tilt": 0.0, "hu": p["organ"]["hu"] - 40.0}
        sa = np.array([rng.uniform(0.65, 1.0)] * 2 + [rng.uniform(1.5, 3.0)])
        b = p["body"]
        lo = np.array([-b["ax"] - 4, -b["ay"] - 4, -45.0])
        hi = -lo
        shape = tuple(int(v) for v in np.ceil((hi - lo) / sa).astype(int) + 1)
        code, sg = orients[n % len(orients)]
        aff = np.diag([sg[a] * sa[a] for a in range(3)] + [1.0])
        aff[:3, 3] = [lo[a] if sg[a] > 0 else hi[a] for a in range(3)]
        hu, lab = render(p, aff, shape, rng, supersample=1)
        hu = np.clip(np.rint(hu), -1024, 3071).astype(np.int16)
        cases.append({"axcodes": code, "shape": list(shape), "spacing": [round(float(v), 3) for v in sa],
                      "hu": hu, "lab": lab, "affine": aff})
    return cases


# ================================================================================================
# MMAR text files
# ================================================================================================
def jdump(obj, path):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def pre_transforms(with_label):
    keys_load = ["image", "label"] if with_label else ["image"]
    return [
        {"name": "LoadImaged", "args": {"keys": keys_load}},
        {"name": "EnsureChannelFirstd", "args": {"keys": keys_load}},
        {"name": "Orientationd", "args": {"keys": "image", "axcodes": "RAS"}},
        {"name": "Spacingd", "args": {"keys": "image", "pixdim": list(PIXDIM), "mode": "bilinear"}},
        {"name": "ScaleIntensityRanged",
         "args": {"keys": "image", "a_min": A_MIN, "a_max": A_MAX, "b_min": 0.0, "b_max": 1.0, "clip": True}},
        {"name": "CropForegroundd", "args": {"keys": "image", "source_key": "image"}},
        {"name": "ToTensord", "args": {"keys": keys_load}},
    ]


def inferer():
    return {"name": "SlidingWindowInferer",
            "args": {"roi_size": list(ROI), "sw_batch_size": SW_BATCH, "overlap": OVERLAP}}


def invertd():
    return {"name": "Invertd",
            "args": {"keys": "pred", "transform": "@pre_transforms", "orig_keys": "image",
                     "meta_keys": "pred_meta_dict", "nearest_interp": False, "to_tensor": True, "device": "cuda"}}


def saveimaged():
    return {"name": "SaveImaged",
            "args": {"keys": "pred", "meta_keys": "pred_meta_dict", "output_dir": "{MMAR_EVAL_OUTPUT_PATH}",
                     "resample": False, "squeeze_end_dims": True}}


def config_inference():
    return {
        "CLARA_TRAIN_VERSION": "4.1.0",
        "multi_gpu": False,
        "amp": False,
        "model": {"ts_path": "{MMAR_TORCHSCRIPT}"},
        "pre_transforms": pre_transforms(False),
        "dataset": {"name": "Dataset", "data_list_file_path": "{DATASET_JSON}", "data_file_base_dir": "{DATA_ROOT}",
                    "data_list_key": "{INFER_DATALIST_KEY}", "args": {"transform": "@pre_transforms"}},
        "dataloader": {"name": "DataLoader",
                       "args": {"dataset": "@dataset", "batch_size": 1, "shuffle": False, "num_workers": 4}},
        "inferer": inferer(),
        "handlers": [{"name": "StatsHandler", "rank": 0, "args": {"output_transform": "lambda x: None"}}],
        "post_transforms": [
            {"name": "Activationsd", "args": {"keys": "pred", "softmax": True}},
            invertd(),
            {"name": "AsDiscreted", "args": {"keys": "pred", "argmax": True}},
            saveimaged(),
        ],
        "evaluator": {"name": "SupervisedEvaluator",
                      "args": {"device": "cuda", "val_data_loader": "@dataloader", "network": "@model",
                               "inferer": "@inferer", "postprocessing": "@post_transforms",
                               "val_handlers": "@handlers", "amp": "{amp}"}},
    }


def config_validation():
    return {
        "CLARA_TRAIN_VERSION": "4.1.0",
        "multi_gpu": False,
        "amp": False,
        "dont_load_ts_model": False,
        "dont_load_ckpt_model": True,
        "model": [
            {"ts_path": "{MMAR_TORCHSCRIPT}", "disabled": "{dont_load_ts_model}"},
        ],
        "pre_transforms": pre_transforms(True),
        "dataset": {"name": "Dataset", "data_list_file_path": "{DATASET_JSON}", "data_file_base_dir": "{DATA_ROOT}",
                    "data_list_key": "{VAL_DATALIST_KEY}", "args": {"transform": "@pre_transforms"}},
        "dataloader": {"name": "DataLoader",
                       "args": {"dataset": "@dataset", "batch_size": 1, "shuffle": False, "num_workers": 4}},
        "inferer": inferer(),
        "handlers": [
            {"name": "StatsHandler", "rank": 0, "args": {"output_transform": "lambda x: None"}},
            {"name": "MetricsSaver",
             "args": {"save_dir": "{MMAR_EVAL_OUTPUT_PATH}", "metrics": ["val_mean_dice"],
                      "metric_details": ["val_mean_dice"],
                      "batch_transform": "#monai.handlers.from_engine(['image_meta_dict'])",
                      "summary_ops": "*", "save_rank": 0}},
        ],
        "post_transforms": [
            {"name": "Activationsd", "args": {"keys": "pred", "softmax": True}},
            invertd(),
            {"name": "AsDiscreted", "args": {"keys": "pred", "argmax": True}},
            saveimaged(),
            {"name": "AsDiscreted", "args": {"keys": ["pred", "label"], "to_onehot": OUT_CHANNELS}},
        ],
        "key_metric": {"name": "MeanDice", "log_label": "val_mean_dice",
                       "args": {"include_background": False,
                                "output_transform": "#monai.handlers.from_engine(['pred', 'label'])"}},
        "evaluator": {"name": "SupervisedEvaluator",
                      "args": {"device": "cuda", "val_data_loader": "@dataloader", "network": "@model",
                               "inferer": "@inferer", "postprocessing": "@post_transforms",
                               "key_val_metric": "@key_metric", "val_handlers": "@handlers", "amp": "{amp}"}},
    }


def config_train():
    train_pre = [
        {"name": "LoadImaged", "args": {"keys": ["image", "label"]}},
        {"name": "EnsureChannelFirstd", "args": {"keys": ["image", "label"]}},
        {"name": "Orientationd", "args": {"keys": ["image", "label"], "axcodes": "RAS"}},
        {"name": "Spacingd", "args": {"keys": ["image", "label"], "pixdim": list(PIXDIM),
                                      "mode": ["bilinear", "nearest"]}},
        {"name": "ScaleIntensityRanged",
         "args": {"keys": "image", "a_min": A_MIN, "a_max": A_MAX, "b_min": 0.0, "b_max": 1.0, "clip": True}},
        {"name": "CropForegroundd", "args": {"keys": ["image", "label"], "source_key": "image"}},
        {"name": "RandCropByPosNegLabeld",
         "args": {"keys": ["image", "label"], "label_key": "label", "spatial_size": list(CROP),
                  "pos": 2, "neg": 1, "num_samples": BATCH}},
        {"name": "RandShiftIntensityd", "args": {"keys": "image", "offsets": 0.036, "prob": 1.0}},
        {"name": "ToTensord", "args": {"keys": ["image", "label"]}},
    ]
    return {
        "CLARA_TRAIN_VERSION": "4.1.0",
        "epochs": TRAIN_ITERS,
        "num_interval_per_valid": 100,
        "learning_rate": LR,
        "multi_gpu": False,
        "amp": False,
        "determinism": {"random_seed": SEED_TRAIN},
        "cudnn_benchmark": False,
        "dont_load_ckpt_model": True,
        "network_summary": {"network": "@model", "input_size": [BATCH, IN_CHANNELS] + list(CROP)},
        "train": {
            "loss": {"name": "DiceCELoss",
                     "args": {"include_background": False, "to_onehot_y": True, "softmax": True,
                              "ce_weight": list(CE_WEIGHTS), "batch": True}},
            "optimizer": {"name": "Adam",
                          "args": {"params": "#@model.parameters()", "lr": "{learning_rate}", "weight_decay": 1e-5}},
            "lr_scheduler": {"name": "CosineAnnealingLR",
                             "args": {"optimizer": "@optimizer", "T_max": TRAIN_ITERS - WARMUP, "eta_min": LR_MIN}},
            "model": {"name": NET_NAME,
                      "args": {"spatial_dims": 3, "in_channels": "{INPUT_CHANNELS}",
                               "out_channels": "{OUTPUT_CHANNELS}", "channels": list(NET_CHANNELS),
                               "norm": "batch", "upsample": "trilinear"}},
            "pre_transforms": train_pre,
            "dataset": {"name": "CacheDataset", "data_list_file_path": "{DATASET_JSON}",
                        "data_file_base_dir": "{DATA_ROOT}", "data_list_key": "{TRAIN_DATALIST_KEY}",
                        "args": {"transform": "@pre_transforms", "cache_rate": 1.0, "num_workers": 2}},
            "dataloader": {"name": "DataLoader",
                           "args": {"dataset": "@dataset", "batch_size": 1, "shuffle": True, "num_workers": 2}},
            "inferer": {"name": "SimpleInferer"},
            "handlers": [
                {"name": "CheckpointLoader", "disabled": "{dont_load_ckpt_model}",
                 "args": {"load_path": "{MMAR_CKPT_DIR}/model.pt", "load_dict": {"model": "@model"}}},
                {"name": "LrScheduleHandler", "args": {"lr_scheduler": "@lr_scheduler", "print_lr": True}},
                {"name": "ValidationHandler",
                 "args": {"validator": "@evaluator", "epoch_level": True, "interval": "{num_interval_per_valid}"}},
                {"name": "StatsHandler", "rank": 0,
                 "args": {"tag_name": "train_loss",
                          "output_transform": "#monai.handlers.from_engine(['loss'], first=True)"}},
            ],
            "post_transforms": [
                {"name": "Activationsd", "args": {"keys": "pred", "softmax": True}},
                {"name": "AsDiscreted", "args": {"keys": ["pred", "label"], "argmax": [True, False],
                                                 "to_onehot": OUT_CHANNELS}},
            ],
            "key_metric": {"name": "MeanDice", "log_label": "train_mean_dice",
                           "args": {"include_background": False,
                                    "output_transform": "#monai.handlers.from_engine(['pred', 'label'])"}},
            "trainer": {"name": "SupervisedTrainer",
                        "args": {"max_epochs": "{epochs}", "device": "cuda", "train_data_loader": "@dataloader",
                                 "network": "@model", "loss_function": "@loss", "optimizer": "@optimizer",
                                 "inferer": "@inferer", "postprocessing": "@post_transforms",
                                 "key_train_metric": "@key_metric", "train_handlers": "@handlers", "amp": "{amp}"}},
        },
        "validate": {
            "pre_transforms": [{"ref": "LoadImaged"}, {"ref": "EnsureChannelFirstd"}, {"ref": "Orientationd"},
                               {"ref": "Spacingd"}, {"ref": "ScaleIntensityRanged"}, {"ref": "CropForegroundd"},
                               {"ref": "ToTensord"}],
            "dataset": {"name": "Dataset", "data_list_file_path": "{DATASET_JSON}",
                        "data_file_base_dir": "{DATA_ROOT}", "data_list_key": "{VAL_DATALIST_KEY}",
                        "args": {"transform": "@pre_transforms"}},
            "dataloader": {"name": "DataLoader",
                           "args": {"dataset": "@dataset", "batch_size": 1, "shuffle": False, "num_workers": 2}},
            "inferer": inferer(),
            "handlers": [
                {"name": "StatsHandler", "rank": 0, "args": {"output_transform": "lambda x: None"}},
                {"name": "CheckpointSaver", "rank": 0,
                 "args": {"save_dir": "{MMAR_CKPT_DIR}", "save_dict": {"model": "@model"},
                          "save_key_metric": True}},
            ],
            "post_transforms": [{"ref": "Activationsd"}, {"ref": "AsDiscreted"}],
            "key_metric": {"name": "MeanDice", "log_label": "val_mean_dice",
                           "args": {"include_background": False,
                                    "output_transform": "#monai.handlers.from_engine(['pred', 'label'])"}},
            "evaluator": {"name": "SupervisedEvaluator",
                          "args": {"device": "cuda", "val_data_loader": "@dataloader", "network": "@model",
                                   "inferer": "@inferer", "postprocessing": "@post_transforms",
                                   "key_val_metric": "@key_metric", "val_handlers": "@handlers", "amp": "{amp}"}},
        },
    }


def environment():
    return {
        "CLARA_TRAIN_VERSION": "4.1.0",
        "DATA_ROOT": "/workspace/data",
        "DATASET_JSON": "config/dataset_0.json",
        "PROCESSING_TASK": "segmentation",
        "TRAIN_DATALIST_KEY": "training",
        "VAL_DATALIST_KEY": "validation",
        "INFER_DATALIST_KEY": "test",
        "MMAR_EVAL_OUTPUT_PATH": "eval",
        "MMAR_CKPT_DIR": "models",
        "MMAR_TORCHSCRIPT": "models/model.ts",
        "INPUT_CHANNELS": IN_CHANNELS,
        "OUTPUT_CHANNELS": OUT_CHANNELS,
    }


def dataset_0():
    return {
        "description": "Synthetic CT phantoms (ellipsoid organ with a hypodense lesion) - MdaiClara demo",
        "labels": {"0": "background", "1": "organ", "2": "lesion"},
        "licence": "MIT",
        "modality": {"0": "CT"},
        "name": "PhantomCT",
        "numTest": 1,
        "numTraining": 24,
        "reference": "Generated by samples/make_sample.py (MdaiClara); training used on-the-fly phantoms",
        "release": "1.0",
        "tensorImageSize": "3D",
        "test": ["phantom_ct.nii.gz"],
        "training": [{"image": "imagesTr/phantom_%03d.nii.gz" % n, "label": "labelsTr/phantom_%03d.nii.gz" % n}
                     for n in range(20)],
        "validation": [{"image": "imagesTr/phantom_%03d.nii.gz" % n, "label": "labelsTr/phantom_%03d.nii.gz" % n}
                       for n in range(20, 24)],
    }


SET_ENV_SH = """#!/usr/bin/env bash

export PYTHONPATH="$PYTHONPATH:/opt/nvidia"
DIR="$( cd "$( dirname "${BASH_SOURCE[0]}" )" >/dev/null 2>&1 && pwd )"
export MMAR_ROOT=${DIR}/..
"""

EVAL_SH = """#!/usr/bin/env bash

my_dir="$(dirname "$0")"
. $my_dir/set_env.sh

echo "MMAR_ROOT set to $MMAR_ROOT"
additional_options="$*"

# Data list containing all data
CONFIG_FILE=config/%(config)s
ENVIRONMENT_FILE=config/environment.json

python3 -u  -m medl.apps.evaluate \\
    -m $MMAR_ROOT \\
    -c $CONFIG_FILE \\
    -e $ENVIRONMENT_FILE \\
    --set \\
    print_conf=True \\
    multi_gpu=False \\
%(extra)s    ${additional_options}
"""

TRAIN_SH = """#!/usr/bin/env bash

my_dir="$(dirname "$0")"
. $my_dir/set_env.sh

echo "MMAR_ROOT set to $MMAR_ROOT"
additional_options="$*"

# NOTE: documentation only. The shipped model was trained by samples/make_sample.py on phantoms
# generated on the fly; PhantomSegNet3D is not part of Clara/MONAI, so this command needs the
# network class on PYTHONPATH (e.g. in $MMAR_ROOT/custom) to run.
CONFIG_FILE=config/config_train.json
ENVIRONMENT_FILE=config/environment.json

python3 -u -m medl.apps.train \\
    -m $MMAR_ROOT \\
    -c $CONFIG_FILE \\
    -e $ENVIRONMENT_FILE \\
    --write_train_stats \\
    --set \\
    print_conf=True \\
    epochs=%(epochs)d \\
    learning_rate=%(lr)g \\
    num_interval_per_valid=100 \\
    multi_gpu=False \\
    cudnn_benchmark=False \\
    dont_load_ckpt_model=True \\
    ${additional_options}
"""

EXPORT_SH = """#!/usr/bin/env bash

my_dir="$(dirname "$(readlink -f "$0")")"
. $my_dir/set_env.sh

echo "MMAR_ROOT set to $MMAR_ROOT"
additional_options="$*"

CONFIG_FILE=config/config_train.json
ENVIRONMENT_FILE=config/environment.json

INPUT_CKPT="${MMAR_ROOT}/models/model.pt"
OUTPUT_CKPT="${MMAR_ROOT}/models/model.ts"

# NOTE: documentation only. This sample ships models/model.ts (made with torch.jit.script by
# samples/make_sample.py) and no models/model.pt checkpoint.
python3 -u -m medl.apps.export \\
    -m $MMAR_ROOT \\
    -c $CONFIG_FILE \\
    -e $ENVIRONMENT_FILE \\
    --model_path "${INPUT_CKPT}" \\
    --output_path "${OUTPUT_CKPT}" \\
    --input_shape "[1, 1, %(roi)s]" \\
    ${additional_options}
"""

LOG_CONFIG = """[loggers]
keys=root,modelLogger

[handlers]
keys=consoleHandler

[formatters]
keys=fullFormatter

[logger_root]
level=INFO
handlers=consoleHandler

[logger_modelLogger]
level=DEBUG
handlers=consoleHandler
qualname=modelLogger
propagate=0

[handler_consoleHandler]
class=StreamHandler
level=DEBUG
formatter=fullFormatter
args=(sys.stdout,)

[formatter_fullFormatter]
format=%(asctime)s - %(name)s - %(levelname)s - %(message)s
"""

LICENSE_TXT = """MdaiClara sample MMAR: clara_pt_phantom_ct_segmentation
=======================================================

Everything in this folder is generated sample data: the configuration files, the command scripts,
the documentation and the TorchScript model models/model.ts. samples/make_sample.py in the MdaiClara
repository wrote all of it. The model was trained only on synthetic, analytically generated CT
phantoms. No patient data, and no third-party data or weights, were used.

It is released under the MIT License, the licence of the MdaiClara project:

Copyright (c) MdaiClara contributors

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

The model is a demonstration artefact for software testing. It is NOT a medical device and must not
be used on real patient images or for any clinical purpose.
"""


def write_mmar_text(report):
    for sub in ("config", "commands", "docs", "resources", "models"):
        os.makedirs(os.path.join(MMAR_DIR, sub), exist_ok=True)
    cfg = os.path.join(MMAR_DIR, "config")
    jdump(environment(), os.path.join(cfg, "environment.json"))
    jdump(config_inference(), os.path.join(cfg, "config_inference.json"))
    jdump(config_validation(), os.path.join(cfg, "config_validation.json"))
    jdump(config_train(), os.path.join(cfg, "config_train.json"))
    jdump(dataset_0(), os.path.join(cfg, "dataset_0.json"))
    cmd = os.path.join(MMAR_DIR, "commands")
    scripts = {
        "set_env.sh": SET_ENV_SH,
        "infer.sh": EVAL_SH % {"config": "config_inference.json", "extra": ""},
        "validate.sh": EVAL_SH % {"config": "config_validation.json",
                                  "extra": "    dont_load_ts_model=False \\\n    dont_load_ckpt_model=True \\\n"},
        "train.sh": TRAIN_SH % {"epochs": TRAIN_ITERS, "lr": LR},
        "export.sh": EXPORT_SH % {"roi": ", ".join(str(v) for v in ROI)},
    }
    for name, text in scripts.items():
        path = os.path.join(cmd, name)
        with open(path, "w", newline="\n") as f:
            f.write(text)
        os.chmod(path, 0o755)
    with open(os.path.join(MMAR_DIR, "resources", "log.config"), "w") as f:
        f.write(LOG_CONFIG)
    with open(os.path.join(MMAR_DIR, "docs", "license.txt"), "w") as f:
        f.write(LICENSE_TXT)
    with open(os.path.join(MMAR_DIR, "docs", "Readme.md"), "w") as f:
        f.write(mmar_readme(report))
    with open(os.path.join(HERE, "README.md"), "w") as f:
        f.write(samples_readme(report))


def fmt_dice(d):
    return "organ %.3f, lesion %.3f" % (d["organ"], d["lesion"])


def mmar_readme(r):
    ho = r["heldout"]
    sp = r["sample_phantom"]
    return """# Disclaimer
This is a **synthetic demonstration model** made for testing the MdaiClara tooling. It was trained
only on analytically generated CT phantoms. It is not a medical device. Do not use it on patient data.

# Model Overview
A small 3-D UNet-like network (`%(net)s`). It segments an ellipsoid "organ" and a hypodense "lesion"
inside it on synthetic CT phantoms. The archive follows the layout of an NVIDIA Clara Train 4.1 MMAR
(`config/`, `commands/`, `docs/`, `models/`, `resources/`).

## Workflow
Inference (`commands/infer.sh` → `config/config_inference.json`) uses MONAI 0.8.1 semantics:
LoadImaged → EnsureChannelFirstd → Orientationd(RAS) → Spacingd(%(pixdim)s mm, bilinear) →
ScaleIntensityRanged(%(amin)g..%(amax)g HU → 0..1, clip) → CropForegroundd → ToTensord →
SlidingWindowInferer(roi %(roi)s, sw_batch_size %(swb)d, overlap %(ov)g) → Activationsd(softmax) →
Invertd → AsDiscreted(argmax) → SaveImaged(`eval/`).

## Input
1 channel, float32, shape (N, 1, X, Y, Z):
- CT in HU, reoriented to RAS and resampled to %(pixdim)s mm.
- Scaled with clip((HU + 57) / 221, 0, 1).
- Any X, Y, Z >= 8 works. Multiples of 8 pass through the three 2x max-poolings exactly. Other sizes
  are handled by interpolating to the skip sizes.

## Output
3 channels, float32 logits, shape (N, 3, X, Y, Z). Softmax is applied in the post-transforms.
- Label 0: background
- Label 1: organ
- Label 2: lesion

## Model files
- `models/model.ts`: TorchScript, made with `torch.jit.script` and saved with `torch.jit.save`
  (torch %(torch)s, %(params)d parameters, BatchNorm in eval mode).
- There is no `models/model.pt` checkpoint, and `environment.json` has no `MMAR_CKPT` key.
  `config_train.json` documents how the model was trained; it cannot run in Clara, because
  `%(net)s` is not a MONAI network and no `custom/` code ships with the archive.

# Training
Made by `samples/make_sample.py` in the MdaiClara repository (`/usr/bin/python3 samples/make_sample.py`).

The training data are phantoms generated on the fly. Each one is rendered either directly on the
%(pixdim)s mm RAS training grid, or on a random anisotropic acquisition grid and then trilinearly
resampled to the training grid. Every phantom randomises body size, fat layer, tissue, organ and
lesion intensities, organ position, size and rotation, lesion size and position (15%% have no lesion),
spine, and noise.

- Random crops: %(crop)s
- Batch size: %(batch)d
- Iterations: %(iters)d
- Loss: cross-entropy (class weights %(cew)s) + soft Dice (organ, lesion)
- Optimiser: Adam, lr %(lr)g with cosine decay
- Hardware: CPU, 2 threads, %(tsec).0f s
- Afterwards, the BatchNorm running statistics were re-estimated on %(bnb)d fresh batches.

# Model Performance
The figures below come from the run that produced this `model.ts`. They are also in
`docs/training_report.json`. Sliding window: roi %(roi)s, overlap %(ov)g, argmax.

- Held-out phantoms (%(nho)d, unseen seed, random acquisition grids and orientations), scored in the
  original image space after inversion: mean Dice %(ho_orig)s.
- The same held-out phantoms on the training grid: mean Dice %(ho_train)s.
- The sample phantom (`samples/phantom/phantom_ct.nii.gz`, 0.8 x 0.8 x 2.5 mm, LPS):
  - on the training grid, against the nearest-resampled truth: %(sp_train)s
  - in the original space, against `phantom_truth.nii.gz`: %(sp_orig)s

These Dice figures come from the script's own re-implementation of the MONAI 0.8.1 pipeline, not
from MONAI itself.

# License
MIT. See `docs/license.txt`.
""" % {
        "net": NET_NAME, "pixdim": " x ".join("%g" % v for v in PIXDIM), "amin": A_MIN, "amax": A_MAX,
        "roi": list(ROI), "swb": SW_BATCH, "ov": OVERLAP, "torch": torch.__version__, "params": r["model"]["parameters"],
        "crop": " x ".join(str(v) for v in CROP), "batch": BATCH, "iters": TRAIN_ITERS, "cew": list(CE_WEIGHTS),
        "lr": LR, "tsec": r["training"]["train_seconds"], "bnb": BN_CALIB_BATCHES, "nho": len(ho["cases"]),
        "ho_orig": fmt_dice(ho["mean_dice_original_grid"]), "ho_train": fmt_dice(ho["mean_dice_training_grid"]),
        "sp_train": fmt_dice(sp["dice_training_grid"]), "sp_orig": fmt_dice(sp["dice_original_grid"]),
    }


def samples_readme(r):
    ph = r["phantom"]
    sp = r["sample_phantom"]
    ho = r["heldout"]
    rows = "\n".join("| %d | %s | %s | %s | %s | %s |" % (
        n, c["axcodes"], c["shape"], c["spacing"], fmt_dice(c["dice_original_grid"]), fmt_dice(c["dice_training_grid"]))
        for n, c in enumerate(ho["cases"]))
    return """# samples/

This folder holds generated sample data for MdaiClara. One script makes all of it:

```sh
/usr/bin/python3 samples/make_sample.py        # run from the repository root
```

The recorded run took %(total).0f s on 2 CPU cores, %(tsec).0f s of it training. The time depends on
machine load: training ran at 0.23 s per iteration on an idle machine and was slower while other jobs
were running.

Run it with the Debian `python3-torch` build (torch %(torch)s). The pyenv `python3` on `PATH` has no
torch. The script also needs numpy, nibabel and pydicom (2.3), but not MONAI. It rewrites every file
listed below, including this README. The numbers quoted here come from its last run, and
`clara_pt_phantom_ct_segmentation/docs/training_report.json` holds the full record.

`--skip-training` keeps `models/model.ts` and `training_report.json`, and only rewrites the phantom,
the DICOM series and the MMAR text files.

## Contents

| path | what |
|---|---|
| `phantom/phantom_ct.nii.gz` | Synthetic abdominal CT. int16 HU, shape %(shape)s, spacing %(spacing)s mm, qform = sform (code 1), axcodes **%(axc)s**. |
| `phantom/phantom_truth.nii.gz` | uint8 labels on the same grid: 0 background, 1 organ, 2 lesion. Each label is the analytic label at the voxel centre. Voxel counts (bg/organ/lesion): %(counts)s. |
| `phantom/phantom_params.json` | Analytic definition of the phantom (RAS mm), geometry, DICOM UIDs, HU statistics. |
| `phantom/dicom/IM0001.dcm` … `IM%(nz)04d.dcm` | The same volume as a DICOM CT series, one file per slice (details below). |
| `clara_pt_phantom_ct_segmentation/` | A Clara Train 4.1-style MMAR with a small trained TorchScript model (`models/model.ts`). See its `docs/Readme.md`. |
| `make_sample.py` | The generator. |

## The phantom

The volume is an elliptic-cylinder body centred on world (0, 0), in RAS mm:
- Air is -1000 HU outside the body.
- A fat layer of -100 HU, 3 mm thick, surrounds soft tissue of 40 HU.
- A posterior spine: a cylinder with marrow of 400 HU and a cortex of 750 HU.
- An ellipsoid **organ** (label 1) of 65 HU on the **patient's left** (RAS x < 0), rotated 20° (yaw)
  and 8° (tilt).
- A **lesion** of 20 HU (label 2) inside the organ.

HU values are averaged over 2x2x2 sub-samples per voxel, so edges show partial volume. White Gaussian
noise (sd 6 HU, numpy seed %(nseed)d) is added, and the result is rounded to int16.

The body is wider (x) than deep (y), and the organ sits off-centre. Left/right, anterior/posterior
and row/column mix-ups therefore all show in the output.

NIfTI affine (RAS, nibabel):

```
%(affine)s
```

The image is neither RAS nor on the model's grid. A correct pipeline must:
- flip i and j to reach RAS,
- resample 0.8 x 0.8 x 2.5 mm → 1.5 x 1.5 x 2.0 mm,
- then invert both steps.

## DICOM series ↔ NIfTI geometry

Each file `IM%%04d.dcm` holds slice k, with InstanceNumber = k + 1 and file number k + 1. The files
are written with pydicom 2.3:
- Explicit VR Little Endian, CT Image Storage.
- MONOCHROME2, BitsAllocated/BitsStored 16, HighBit 15, PixelRepresentation 1 (signed int16).
- RescaleSlope 1, RescaleIntercept 0.
- Patient "PHANTOM^SAMPLE" (ID PHANTOM0001). UIDs are fixed `2.25.<int>` values derived from SHA-256
  of fixed names; they are listed in `phantom_params.json`.

| DICOM | value |
|---|---|
| Rows × Columns | %(rows)d × %(cols)d |
| ImageOrientationPatient | `1\\0\\0\\0\\1\\0` (row direction = +x LPS, column direction = +y LPS) |
| PixelSpacing | `0.8\\0.8` (row spacing, column spacing) |
| ImagePositionPatient of slice k | (%(ipp_x)g, %(ipp_y)g, %(ipp_z)g + 2.5·k) LPS mm |
| SliceThickness = SpacingBetweenSlices | 2.5 |

Mapping, exact:
- World position (LPS) of pixel (row r, column c) of slice k is
  `IPP_k + c·PixelSpacing[1]·rowdir + r·PixelSpacing[0]·coldir`.
- NIfTI RAS = diag(-1, -1, 1) · LPS.
- So `pixel_array[r, c]` of slice k equals NIfTI voxel `[i = c, j = r, k]`, and the NIfTI affine is
  `diag(-1,-1,1,1) · [rowdir·0.8 | coldir·0.8 | normal·2.5 | IPP_0]` (columns; normal = rowdir × coldir).
- In numpy: `nifti[:, :, k] == dicom_k.pixel_array.T`.

This is the array that MONAI's ITKReader returns for the series (x = column index) after its
LPS→RAS affine flip.

`make_sample.py` checks this with an assert. It reads the files back with pydicom, sorts the slices
by ImagePositionPatient along the slice normal, and compares against the NIfTI:
- every voxel value (exact),
- the world position of corner and random voxels (1e-4 mm),
- uniform slice gaps.

## The model (MMAR)

`clara_pt_phantom_ct_segmentation/models/model.ts` is a `torch.jit.script` TorchScript file of
%(size)d bytes, with %(params)d parameters.

- Architecture: `%(net)s` is a 3-level UNet with channels %(ch)s, conv3x3x3 + BatchNorm + ReLU,
  max-pool 2 and trilinear upsampling to the skip size.
- Input: float32 (N, 1, X, Y, Z). It is CT in RAS orientation, resampled to 1.5 x 1.5 x 2.0 mm and
  scaled by clip((HU+57)/221, 0, 1). Any size >= 8 works; multiples of 8 map exactly.
- Output: (N, 3, X, Y, Z) logits for background / organ / lesion.

Training ran on CPU, on phantoms generated on the fly:
- %(iters)d iterations with batch %(batch)d and crops of %(crop)s;
- CE + soft Dice, Adam with cosine decay;
- %(tsec).0f s of training;
- then the BatchNorm statistics were recalibrated.

The MMAR configs are written by the same script from the same constants as the model, so they cannot
drift apart. `config_inference.json` uses:
- SlidingWindowInferer with **roi_size %(roi)s**, sw_batch_size %(swb)d, overlap %(ov)g;
- Spacingd pixdim %(pixdim)s;
- ScaleIntensityRanged -57..164 → 0..1.

### Measured Dice

These come from the script's own re-implementation of the MONAI 0.8.1 inference pipeline:
- Orientation(RAS) → Spacing(bilinear, border) → ScaleIntensityRange → CropForeground;
- sliding window (constant blending);
- softmax → inverse crop, spacing (bilinear) and orientation → argmax.

They are not MONAI output, so expect small differences from a real MONAI run.

Sample phantom (`phantom/phantom_ct.nii.gz`):
- Shape after orientation: %(sp_ras)s. After Spacingd: %(sp_sp)s.
- CropForeground box: %(sp_box)s, giving shape %(sp_crop)s.
- Sliding windows: %(sp_nwin)d.
- Dice on the training grid, against the nearest-resampled truth: %(sp_train)s.
- Dice in the original grid, against `phantom_truth.nii.gz`: **%(sp_orig)s**.

Held-out phantoms (seed %(hseed)d, unseen during training; random acquisition grids and orientations,
rendered without supersampling):

| # | axcodes | shape | spacing (mm) | Dice, original grid | Dice, training grid |
|---|---|---|---|---|---|
%(rows_ho)s
| mean | | | | %(ho_orig)s | %(ho_train)s |

## Seeds

| what | seed |
|---|---|
| sample phantom noise | %(nseed)d |
| training (torch.manual_seed and the numpy phantom generator) | %(tseed)d |
| BatchNorm recalibration batches | %(bnseed)d |
| held-out phantoms | %(hseed)d |

`PYTHONHASHSEED=0` is forced (the script runs itself again if needed), so the TorchScript constants
are written in a stable order.

Byte-identical reruns:
- The phantom, the DICOM files and the config files come out byte-identical on every run.
- `model.ts` is byte-identical on the same machine, torch build and thread count. Two full runs
  were compared to check this.
""" % {
        "total": r["total_seconds"], "torch": torch.__version__, "shape": list(SAMPLE_SHAPE),
        "spacing": " x ".join("%g" % v for v in SAMPLE_SPACING), "axc": ph["axcodes"],
        "counts": ph["label_voxels_bg_organ_lesion"], "nz": SAMPLE_SHAPE[2], "nseed": SEED_PHANTOM_NOISE,
        "affine": "\n".join(str([float(v) for v in row]) for row in SAMPLE_AFFINE),
        "rows": SAMPLE_SHAPE[1], "cols": SAMPLE_SHAPE[0],
        "ipp_x": -SAMPLE_AFFINE[0, 3], "ipp_y": -SAMPLE_AFFINE[1, 3], "ipp_z": SAMPLE_AFFINE[2, 3],
        "size": r["model"]["file_bytes"], "params": r["model"]["parameters"], "net": NET_NAME,
        "ch": list(NET_CHANNELS), "iters": TRAIN_ITERS, "batch": BATCH, "crop": " x ".join(str(v) for v in CROP),
        "tsec": r["training"]["train_seconds"], "roi": list(ROI), "swb": SW_BATCH, "ov": OVERLAP,
        "pixdim": list(PIXDIM), "sp_ras": sp["ras_shape"], "sp_sp": sp["spacing_shape"], "sp_box": sp["crop_box"],
        "sp_crop": sp["crop_shape"], "sp_nwin": sp["n_windows"], "sp_train": fmt_dice(sp["dice_training_grid"]),
        "sp_orig": fmt_dice(sp["dice_original_grid"]), "hseed": SEED_HELDOUT, "rows_ho": rows,
        "ho_orig": fmt_dice(ho["mean_dice_original_grid"]), "ho_train": fmt_dice(ho["mean_dice_training_grid"]),
        "tseed": SEED_TRAIN, "bnseed": SEED_BN_CALIB,
    }


# ================================================================================================
def check_model_file(path, eager):
    ts = torch.jit.load(path)
    ts.eval()
    g = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for shape in [(1, 1) + ROI, (2, 1, 48, 48, 32), (1, 1, 8, 8, 8), (1, 1, 13, 17, 9)]:
            x = torch.rand(*shape, generator=g)
            y = ts(x)
            assert tuple(y.shape) == (shape[0], OUT_CHANNELS) + tuple(shape[2:]), y.shape
            if eager is not None:
                assert torch.allclose(y, eager(x), atol=1e-5)
    return ts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-training", action="store_true",
                    help="reuse models/model.ts and docs/training_report.json; rewrite everything else")
    args = ap.parse_args()
    t_start = time.time()
    torch.manual_seed(0)

    print("[1/4] phantom + DICOM", flush=True)
    hu16, lab, phantom_info = make_phantom()
    print("  phantom %s, labels bg/organ/lesion %s, DICOM verified" % (hu16.shape, phantom_info["label_voxels_bg_organ_lesion"]))

    model_path = os.path.join(MMAR_DIR, "models", "model.ts")
    report_path = os.path.join(MMAR_DIR, "docs", "training_report.json")
    os.makedirs(os.path.dirname(model_path), exist_ok=True)
    os.makedirs(os.path.dirname(report_path), exist_ok=True)

    if args.skip_training:
        with open(report_path) as f:
            report = json.load(f)
        check_model_file(model_path, None)
        report["phantom"] = {k: phantom_info[k] for k in ("shape", "spacing_mm", "axcodes", "label_voxels_bg_organ_lesion")}
        print("[2-3/4] training skipped; using existing model.ts")
    else:
        print("[2/4] training %s (%d iterations, batch %d, crops %s)" % (NET_NAME, TRAIN_ITERS, BATCH, CROP), flush=True)
        model, train_info = train_model()
        scripted = torch.jit.script(model)
        torch.jit.save(scripted, model_path)
        ts = check_model_file(model_path, model)

        print("[3/4] evaluation", flush=True)
        sp = run_pipeline(ts, hu16, SAMPLE_AFFINE, truth=lab)
        print("  sample phantom: training grid %s | original grid %s" % (
            fmt_dice(sp["dice_training_grid"]), fmt_dice(sp["dice_original_grid"])))
        ho = []
        for n, c in enumerate(heldout_cases()):
            res = run_pipeline(ts, c["hu"], c["affine"], truth=c["lab"])
            ho.append({"axcodes": c["axcodes"], "shape": c["shape"], "spacing": c["spacing"],
                       "dice_original_grid": res["dice_original_grid"], "dice_training_grid": res["dice_training_grid"]})
            print("  held-out %d (%s %s %s): original %s | training grid %s" % (
                n, c["axcodes"], c["shape"], c["spacing"], fmt_dice(res["dice_original_grid"]),
                fmt_dice(res["dice_training_grid"])), flush=True)

        def mean_of(key):
            return {k: round(float(np.mean([h[key][k] for h in ho])), 4) for k in ("organ", "lesion")}

        report = {
            "generator": "samples/make_sample.py",
            "torch_version": torch.__version__,
            "numpy_version": np.__version__,
            "threads": torch.get_num_threads(),
            "model": {"name": NET_NAME, "file": "models/model.ts", "file_bytes": os.path.getsize(model_path),
                      "parameters": int(sum(p.numel() for p in model.parameters())),
                      "channels": list(NET_CHANNELS), "in_channels": IN_CHANNELS, "out_channels": OUT_CHANNELS,
                      "classes": CLASS_NAMES, "export": "torch.jit.script + torch.jit.save"},
            "input_contract": {"layout": "(N,1,X,Y,Z) float32", "orientation": "RAS", "pixdim_mm": list(PIXDIM),
                               "intensity": "clip((HU - %g) / %g, 0, 1)" % (A_MIN, A_MAX - A_MIN),
                               "spatial_size": "any >= 8; multiples of 8 exact"},
            "inference": {"roi_size": list(ROI), "sw_batch_size": SW_BATCH, "overlap": OVERLAP, "mode": "constant",
                          "post": "softmax, invert, argmax"},
            "training": dict(train_info, batch=BATCH, crop=list(CROP), lr=LR, lr_min=LR_MIN, warmup=WARMUP,
                             ce_weights=list(CE_WEIGHTS), loss="CE + soft Dice (organ, lesion)",
                             optimizer="Adam (weight_decay 1e-5), cosine decay",
                             bn_recalibration_batches=BN_CALIB_BATCHES,
                             seeds={"train": SEED_TRAIN, "bn_calibration": SEED_BN_CALIB}),
            "sample_phantom": {k: v for k, v in sp.items() if not k.startswith("label_")},
            "heldout": {"seed": SEED_HELDOUT, "cases": ho,
                        "mean_dice_original_grid": mean_of("dice_original_grid"),
                        "mean_dice_training_grid": mean_of("dice_training_grid")},
            "phantom": {k: phantom_info[k] for k in ("shape", "spacing_mm", "axcodes", "label_voxels_bg_organ_lesion")},
            "note": "Dice = 2|P&T|/(|P|+|T|) per class; computed with the script's re-implementation of the "
                    "MONAI 0.8.1 config_inference.json pipeline (not MONAI itself).",
        }

    print("[4/4] MMAR text files + README", flush=True)
    report["total_seconds"] = round(time.time() - t_start, 1) if not args.skip_training else report.get("total_seconds", 0)
    jdump(report, report_path)
    write_mmar_text(report)
    print("done in %.0f s" % (time.time() - t_start))
    print("  held-out mean (original grid): %s" % fmt_dice(report["heldout"]["mean_dice_original_grid"]))
    print("  sample phantom (original grid): %s" % fmt_dice(report["sample_phantom"]["dice_original_grid"]))


if __name__ == "__main__":
    main()
