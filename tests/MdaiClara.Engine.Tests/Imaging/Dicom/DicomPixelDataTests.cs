using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Dicom;

/// <summary>Every corpus file pydicom decodes (golden references), decoded by us to the same values.</summary>
public class DicomPixelDataTests
{
    private static string CorpusFolder => Path.Combine(TestPaths.Fixtures, "dicom", "corpus");

    public static IEnumerable<object[]> DecodedFiles() =>
        Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "corpus", "decoded"), "*.npy.gz")
            .Select(f => Path.GetFileName(f)[..^".npy.gz".Length])
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(DecodedFiles))]
    public void DecodesAsPydicomDoes(string name)
    {
        var reference = Npy.Read(Path.Combine(CorpusFolder, "decoded", name + ".npy.gz"));
        var file = DicomFileReader.Read(Path.Combine(CorpusFolder, "files", name));
        using var pixels = DicomPixelData.Open(file);
        var all = Array.CreateInstance(pixels.SampleType, pixels.FrameSamples * pixels.NumberOfFrames);
        for (var frame = 0; frame < pixels.NumberOfFrames; frame++)
        {
            pixels.DecodeFrameInto(frame, all, frame * pixels.FrameSamples);
        }

        var ours = Npy.ToDoubles(all);
        Assert.Equal(reference.Values.Length, ours.Length);
        var lossy = file.TransferSyntax.Codec == PixelCodec.JpegLossy;
        var tolerance = lossy ? 2.0 : 0.0;
        var worst = Enumerable.Range(0, ours.Length).Max(n => Math.Abs(ours[n] - reference.Values[n]));
        Assert.True(worst <= tolerance, $"{name} ({file.TransferSyntax.Name}): max difference {worst}, allowed {tolerance}");
    }

    [Theory]
    [InlineData("693_J2KI.dcm", "JPEG 2000")]
    [InlineData("MR_small_jp2klossless.dcm", "JPEG 2000")]
    public void UnsupportedSyntaxesNameThemselvesAndTheRemedy(string name, string syntax)
    {
        var file = DicomFileReader.Read(Path.Combine(CorpusFolder, "files", name));
        using var pixels = DicomPixelData.Open(file);

        var ex = Assert.Throws<MdaiClaraException>(() => pixels.DecodeFrame(0));

        Assert.Equal(ErrorIds.DicomTransferSyntaxUnsupported, ex.ErrorId);
        Assert.Contains(syntax, ex.Message);
        Assert.Contains("gdcmconv --raw", ex.Message);
    }

    [Fact]
    public void AFileWithoutPixelDataSaysItIsNotAnImage()
    {
        var file = DicomFileReader.Read(Path.Combine(CorpusFolder, "files", "rtplan.dcm"));

        var ex = Assert.Throws<MdaiClaraException>(() => DicomPixelData.Open(file));

        Assert.Equal(ErrorIds.DicomNoPixelData, ex.ErrorId);
        Assert.Contains("not an image", ex.Message);
    }

    [Fact]
    public void MultiFrameDataDecodesEveryFrame()
    {
        var file = DicomFileReader.Read(Path.Combine(CorpusFolder, "files", "rtdose.dcm"));
        using var pixels = DicomPixelData.Open(file);

        Assert.Equal(15, pixels.NumberOfFrames);
        var last = (uint[])pixels.DecodeFrame(14);
        var first = (uint[])pixels.DecodeFrame(0);
        Assert.NotEqual(first, last);
        Assert.Throws<ArgumentOutOfRangeException>(() => pixels.DecodeFrame(15));
    }
}
