#!/usr/bin/python3
"""The benchmark's Python side (Debian's python3, pydicom, numpy, nibabel).

  make <folder> <encoding> [slices]
                             writes a 512x512x300 (or x<slices>) CT series (one file per slice, shuffled names) and the same HU
                             volume as <folder>.nii.gz (int16) beside it, once; later calls reuse them. Encodings:
                             s16 = signed 16-bit HU, intercept 0; u12 = the usual scanner encoding, unsigned 12 bits
                             stored in 16 with intercept -1024
  ct256 <file.nii.gz>        writes a 256x256x128 int16 CT-like phantom (RAS, 1.5 x 1.5 x 2.0 mm: the sample MMAR's
                             training grid, so its Spacing and Orientation keep the grid) for the inference benchmark
  pydicom <folder> <repeat>  best time to build the HU volume as pydicom users do: read every file, order slices by
                             ImagePositionPatient along the normal, stack pixel arrays, apply rescale
  nibabel <file> <repeat>    best time to load the .nii.gz into a numpy array with nibabel
  mdai_labels <series> <file.nii.gz>
                             writes a label volume on the series' grid (the generated interface code's own geometry):
                             two ellipsoids, labels 1 and 2, over about 60 slices
  mdai_outputs <series> <labels.nii.gz> <out.json> <repeat>
                             best time of the generated mdai_deploy.py's own code (src/Engine/Mdai/Templates) turning
                             the label volume into MD.ai's per-instance list and json.dump-ing it, series and labels
                             already loaded
  mdai_same <a.json> <b.json> prints whether the two MD.ai lists are equal
Prints one JSON line: {"seconds": best, "peak_mb": ..., "shape": ...} ("outputs": the list's length for mdai_outputs).
"""
import json
import os
import resource
import sys
import time

import numpy as np

ROWS = COLS = 512
SLICES = 300


def make(folder, encoding, slices=SLICES):
    marker = folder.rstrip("/") + ".complete"
    if os.path.exists(marker):
        return
    import pydicom
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid
    import nibabel as nib
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:ROWS, 0:COLS]
    body = ((x - 256) / 200.0) ** 2 + ((y - 256) / 150.0) ** 2 < 1
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    volume = np.empty((slices, ROWS, COLS), dtype=np.int16)
    order = rng.permutation(slices)
    for n, k in enumerate(order):
        pixels = np.where(body, 40 + (20 * np.sin(x / 17.0 + k / 9.0)).astype(np.int16), -1000).astype(np.int16)
        pixels = pixels + rng.integers(-8, 9, size=pixels.shape).astype(np.int16)
        volume[k] = pixels
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.Modality, ds.PatientName, ds.PatientID = "CT", "Bench^CT", "BENCH"
        ds.InstanceNumber = int(k + 1)
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [-250.0, -250.0, -400.0 + 1.25 * float(k)]
        ds.PixelSpacing, ds.SliceThickness = [0.977, 0.977], 1.25
        ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.PhotometricInterpretation = ROWS, COLS, 1, "MONOCHROME2"
        if encoding == "u12":
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
            ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
            ds.PixelData = (pixels.astype(np.int32) + 1024).astype(np.uint16).tobytes()
        else:
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
            ds.RescaleSlope, ds.RescaleIntercept = 1, 0
            ds.PixelData = pixels.tobytes()
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(os.path.join(folder, "%08x" % rng.integers(0, 2**31)), write_like_original=False)
    affine = np.diag([-0.977, -0.977, 1.25, 1.0])
    affine[:3, 3] = [250.0, 250.0, -400.0]
    nib.save(nib.Nifti1Image(np.ascontiguousarray(volume.transpose(2, 1, 0)), affine), folder.rstrip("/") + ".nii.gz")
    open(marker, "w").close()


def ct256(path):
    if os.path.exists(path):
        return
    import nibabel as nib
    rng = np.random.default_rng(11)
    x, y, z = np.meshgrid(np.arange(256), np.arange(256), np.arange(128), indexing="ij")
    body = ((x - 128) / 118.0) ** 2 + ((y - 128) / 100.0) ** 2 < 1
    organ = ((x - 150) / 30.0) ** 2 + ((y - 120) / 24.0) ** 2 + ((z - 64) / 20.0) ** 2 < 1
    hu = np.where(body, 40.0, -1000.0)
    hu = np.where(organ, 60.0, hu) + rng.normal(0, 8, hu.shape)
    affine = np.diag([1.5, 1.5, 2.0, 1.0])
    affine[:3, 3] = [-192.0, -192.0, -128.0]
    nib.save(nib.Nifti1Image(hu.astype(np.int16), affine), path)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_pydicom(folder, repeat):
    import pydicom
    files = [os.path.join(folder, f) for f in os.listdir(folder)]
    before = peak_mb()
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        datasets = [pydicom.dcmread(f) for f in files]
        normal = np.cross(np.array(datasets[0].ImageOrientationPatient[:3], float), np.array(datasets[0].ImageOrientationPatient[3:], float))
        datasets.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), normal)))
        volume = np.stack([d.pixel_array for d in datasets])
        slope, intercept = float(datasets[0].RescaleSlope), float(datasets[0].RescaleIntercept)
        if slope == 1 and intercept.is_integer():
            # What a careful user does: keep integer HU (int16), as MdaiClara does, rather than float64.
            volume = volume.astype(np.int16)
            volume += np.int16(intercept)
        elif slope != 1 or intercept != 0:
            volume = volume * slope + intercept
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        shape = volume.shape
        del datasets, volume
    print(json.dumps({"seconds": best, "peak_mb": peak_mb() - before, "shape": list(shape)}))


def bench_nibabel(path, repeat):
    import nibabel as nib
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        data = np.asanyarray(nib.load(path).dataobj)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        shape = data.shape
        del data
    print(json.dumps({"seconds": best, "shape": list(shape)}))


def _templates():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "..", "..", "src", "Engine", "Mdai", "Templates"))


def _series_volume(folder):
    import pydicom
    _templates()
    from mdai_clara_dicom import SeriesVolume
    return SeriesVolume([pydicom.dcmread(os.path.join(folder, f), stop_before_pixels=True) for f in os.listdir(folder)])


def mdai_labels(folder, path):
    if os.path.exists(path):
        return
    import nibabel as nib
    volume = _series_volume(folder)
    x, y, z = np.meshgrid(np.arange(volume.columns), np.arange(volume.rows), np.arange(len(volume.slices)), indexing="ij")
    middle = len(volume.slices) / 2
    labels = np.zeros(x.shape, dtype=np.uint8)
    labels[((x - 300) / 90.0) ** 2 + ((y - 240) / 70.0) ** 2 + ((z - middle) / 30.0) ** 2 < 1] = 1
    labels[((x - 200) / 40.0) ** 2 + ((y - 280) / 40.0) ** 2 + ((z - middle - 5) / 20.0) ** 2 < 1] = 2
    nib.save(nib.Nifti1Image(labels, volume.affine), path)


def bench_mdai_outputs(folder, labels_path, out, repeat):
    volume = _series_volume(folder)
    from mdai_clara_dicom import labels_by_instance
    from mdai_clara_instances import instance_outputs  # the generated packages' own label-to-instance mapping
    from mdai_clara_output import read_saved_segmentation
    settings = {"label_to_class_index": None}
    labels, affine = read_saved_segmentation(labels_path, {"content": "labels", "channels": 1, "channel_axis": "last"})
    # The same measure as the C# side: the high-water mark reset now (Linux clear_refs), then its rise.
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = _status_bytes("VmRSS") / 1048576.0
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        outputs, unmapped = [], set()
        for geometry, on_slice in labels_by_instance(volume, labels, affine):
            outputs.extend(instance_outputs(geometry.ds, on_slice, settings, unmapped))
        with open(out, "w") as f:
            json.dump(outputs, f)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        count = len(outputs)
        del outputs
    print(json.dumps({"seconds": best, "peak_mb": _status_bytes("VmHWM") / 1048576.0 - before, "outputs": count}))


def _status_bytes(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no %s in /proc/self/status" % key)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "make":
        make(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else SLICES)
    elif command == "ct256":
        ct256(sys.argv[2])
    elif command == "pydicom":
        bench_pydicom(sys.argv[2], int(sys.argv[3]))
    elif command == "nibabel":
        bench_nibabel(sys.argv[2], int(sys.argv[3]))
    elif command == "mdai_labels":
        mdai_labels(sys.argv[2], sys.argv[3])
    elif command == "mdai_outputs":
        bench_mdai_outputs(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif command == "mdai_same":
        with open(sys.argv[2]) as a, open(sys.argv[3]) as b:
            print(json.dumps({"same": json.load(a) == json.load(b)}))
