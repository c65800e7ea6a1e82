# The Debian/Ubuntu packages each build.ps1 task needs on the host. The one place to extend: add a package to the
# tasks that need it. build.ps1 installs the missing ones (dpkg -s) before the task runs, when it is root or may sudo
# without a password; otherwise it stops with the exact command. Build, Demo and Package need none: the libstdc++ fix
# is done by build/LibTorchCompat in .NET (no patchelf, no compiler).
@{
    Build   = @()
    Demo    = @()
    Package = @()
    Clean   = @()

    # The peers the imaging tests compare with, run live: nibabel (NIfTI), pydicom with GDCM (DICOM decoding),
    # dcm2niix (series geometry). numpy, pydicom and nibabel also run the generated MD.ai interface code
    # (tests/mdai/run_mdai_deploy.py). OpenCV draws our MD.ai mask contours back (ExactMaskContoursTests), as MD.ai's client does.
    # chromium renders the validation report headless (tests/MdaiClara.Engine.Tests/Reporting/ReportChromiumTests.cs);
    # fonts-dejavu-core gives the report's charts (SkiaSharp) a font on a bare machine.
    # dcmtk (dcmdump) and dicom3tools (dciodvfy) read and validate the DICOM objects we write (Part 10 writer, SEG);
    # dcmtk's storescp is also a DIMSE peer of the DIMSE tests; openssl makes the certificates of the DICOM TLS tests.
    # orthanc and orthanc-dicomweb are the real PACS the DICOMweb client is tested against (started on loopback by
    # tests/MdaiClara.Engine.Tests/TestSupport/OrthancServer.cs and tests/Pester/Orthanc.ps1).
    Test    = @('python3', 'python3-numpy', 'python3-nibabel', 'python3-pydicom', 'python3-gdcm', 'dcm2niix', 'python3-opencv', 'chromium', 'fonts-dejavu-core', 'dcmtk', 'dicom3tools', 'orthanc', 'orthanc-dicomweb', 'openssl')

    # The peers the benchmark measures against: pydicom and nibabel (reading), and MONAI's own pipeline for the small-volume
    # inference cases, which runs on Debian's torch, nibabel, Pillow and scikit-image (MONAI itself is not a Debian
    # package: MDAICLARA_MONAI points at its source, see tests/Bench/monai_pipeline_peer.py), and MONAI's segmentation
    # metrics (tests/Bench/metrics_peer.py), whose surface distances run on SciPy. OpenCV rasterises MD.ai polygons.
    # The PACS retrieval section serves the series from a local Orthanc and compares with curl fetching the same URL.
    Bench   = @('python3', 'python3-numpy', 'python3-nibabel', 'python3-pydicom', 'python3-torch', 'python3-pil', 'python3-skimage', 'python3-scipy', 'python3-opencv', 'dicom3tools', 'dcmtk', 'orthanc', 'orthanc-dicomweb', 'curl')

    # AFL++ drives the coverage-guided campaigns (tests/Fuzz/Invoke-Fuzz.ps1).
    Fuzz    = @('afl++')
}
