using System;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Dicom;

/// <summary>
/// Issue 8's fuzz probe: 14-16 KB files whose headers promise a 4-8 GB volume made the series assembler allocate it
/// before any per-file pixel check ran (an OutOfMemoryException under a container heap limit). Every file's pixel
/// description is now checked first. Fixtures: tests/fixtures/dicom/make_robustness.py.
/// </summary>
public class DicomHugeVolumeTests
{
    /// <summary>Far below what any of these headers claims (the smallest claims 18 MB of samples per file).</summary>
    private const long AllocationBound = 8L << 20;

    private static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, "dicom", "robustness", name);

    private static MdaiClaraException AssembleFails(string path)
    {
        var scan = DicomSeriesAssembler.Scan(new[] { path });
        var series = Assert.Single(scan.Series);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<MdaiClaraException>(() => DicomSeriesAssembler.Assemble(series));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationBound, $"Assemble allocated {allocated:N0} bytes before refusing {path}");
        Assert.Equal(ErrorIds.DicomPixelDataInvalid, ex.ErrorId);
        Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void OneHundredTwentySevenSamplesPerPixelIsRefusedSayingWhatIsAllowed()
    {
        var ex = AssembleFails(Fixture("spp127_huge.dcm"));

        Assert.Contains("SamplesPerPixel (0028,0002) is 127; an image has 1 (grayscale) or 3 (colour) samples per pixel", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJpegLosslessFileClaimingFortySixThousandSquaredIsRefused()
    {
        var ex = AssembleFails(Fixture("jpegll_46000.dcm"));

        Assert.Contains("46000×46000×1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJpegLosslessFrameLargerThanItsBytesCanCodeIsRefusedForItsRatio()
    {
        var path = Fixture("jpegll_3000.dcm");

        var ex = AssembleFails(path);

        Assert.Contains($"cannot be held in {new FileInfo(path).Length:N0} bytes of JPEG Lossless", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 16 samples per byte", ex.Message, StringComparison.Ordinal);
    }
}
