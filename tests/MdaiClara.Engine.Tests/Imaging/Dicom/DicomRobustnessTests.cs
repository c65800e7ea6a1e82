using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Dicom;

/// <summary>
/// Broken input must end in one specific error that names the file and what is wrong, never a hang, a huge
/// allocation or an AggregateException. Fixtures: tests/fixtures/dicom/make_robustness.py.
/// </summary>
public class DicomRobustnessTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, "dicom", "robustness", name);

    private static string Corpus(string name) => Path.Combine(TestPaths.Fixtures, "dicom", "corpus", "files", name);

    [Fact]
    public void AnImpossibleFrameCountIsSkippedNamingTheTag()
    {
        var path = Fixture("frames_huge.dcm");

        var scan = DicomSeriesAssembler.Scan(new[] { path });

        Assert.Empty(scan.Series);
        var skipped = Assert.Single(scan.Skipped);
        Assert.Equal(ErrorIds.DicomPixelDataInvalid, skipped.ErrorId);
        Assert.Contains("NumberOfFrames (0028,0008) is 2,147,483,647", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("at most 1 frames", skipped.Reason, StringComparison.Ordinal);
        var direct = Assert.Throws<MdaiClaraException>(() => DicomPixelData.Open(DicomFileReader.Read(path)));
        Assert.Equal(ErrorIds.DicomPixelDataInvalid, direct.ErrorId);
    }

    [Fact]
    public void SixteenBitYbr422SaysSoAndHowToConvert()
    {
        var path = Fixture("ybr422_16bit.dcm");

        var ex = Assert.Throws<MdaiClaraException>(() => DicomPixelData.Open(DicomFileReader.Read(path)));

        Assert.Equal(ErrorIds.DicomPixelDataInvalid, ex.ErrorId);
        Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("YBR_FULL_422", ex.Message, StringComparison.Ordinal);
        Assert.Contains("gdcmconv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeflateBombIsRefusedBeforeItFillsMemory()
    {
        var path = Fixture("deflate_bomb.dcm");
        Assert.True(new FileInfo(path).Length < 200_000);

        var ex = Assert.Throws<MdaiClaraException>(() => DicomFileReader.Read(path));

        Assert.Equal(ErrorIds.DicomInvalid, ex.ErrorId);
        Assert.Contains("inflates to more than 64 MB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDeflatedCorpusFileStillReads()
    {
        var file = DicomFileReader.Read(Corpus("image_dfl.dcm"));

        Assert.NotNull(file.PixelDataElement);
    }

    [Fact]
    public async Task AFifoIsNotOpenedAndDoesNotHang()
    {
        using var temp = new TempDirectory();
        var fifo = temp.Combine("pipe.dcm");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", new[] { fifo }) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var read = Task.Run(() => DicomSeriesAssembler.Scan(new[] { fifo }));
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.Same(read, finished);
        var skipped = Assert.Single((await read).Skipped);
        Assert.Equal(ErrorIds.DicomNotDicom, skipped.ErrorId);
        Assert.False(DicomFileReader.LooksLikeDicom(fifo));
    }

    [Fact]
    public void ACodecErrorInASeriesNamesTheFileAndIsNotWrapped()
    {
        // A baseline JPEG whose SOF0 marker is changed to SOF10 (progressive, arithmetic): a syntax we refuse.
        using var temp = new TempDirectory();
        var path = temp.Combine("bad-jpeg.dcm");
        var bytes = File.ReadAllBytes(Corpus("SC_rgb_jpeg.dcm"));
        var sof = Enumerable.Range(0, bytes.Length - 1).First(n => bytes[n] == 0xFF && bytes[n + 1] == 0xC0);
        bytes[sof + 1] = 0xCA;
        File.WriteAllBytes(path, bytes);

        var series = Assert.Single(DicomSeriesAssembler.Scan(new[] { path }).Series);
        var ex = Assert.Throws<MdaiClaraException>(() => DicomSeriesAssembler.Assemble(series));

        Assert.Equal(ErrorIds.JpegUnsupported, ex.ErrorId);
        Assert.StartsWith(path + ": JPEG codestream uses", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.Target);
    }

    [Fact]
    public void AMissingFileIsSkippedAsUnreadable()
    {
        using var temp = new TempDirectory();
        var missing = temp.Combine("gone.dcm");

        var skipped = Assert.Single(DicomSeriesAssembler.Scan(new[] { missing }).Skipped);

        Assert.Equal(ErrorIds.DicomReadFailed, skipped.ErrorId);
        Assert.Contains("does not exist", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ALegacyRtDoseGetsOnePositionPerFrameFromItsGridOffsets()
    {
        var path = Corpus("rtdose.dcm");
        var header = DicomInstanceHeader.From(DicomFileReader.Read(path));
        var grid = header.File.Dataset.GetDoubles(DicomTag.GridFrameOffsetVector)!;
        var origin = header.File.Dataset.GetDoubles(DicomTag.ImagePositionPatient)!;

        Assert.True(header.NumberOfFrames > 1);
        Assert.NotNull(header.InferredFramePositions);
        for (var f = 0; f < header.NumberOfFrames; f++)
        {
            // Axial orientation: the normal is +z, so frame f sits at the first position plus its offset along z.
            var position = header.Frames[f].Position!;
            Assert.Equal(origin[0], position[0], 6);
            Assert.Equal(origin[1], position[1], 6);
            Assert.Equal(origin[2] + grid[f] - grid[0], position[2], 6);
        }
    }
}
