using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Dicom;

public class DicomFileReaderTests
{
    private static string Corpus(string name) => Path.Combine(TestPaths.Fixtures, "dicom", "corpus", "files", name);

    [Theory]
    [InlineData("MR_small_expb.dcm", "1.2.840.10008.1.2.2", true)]
    [InlineData("rtdose.dcm", "1.2.840.10008.1.2", false)]
    [InlineData("image_dfl.dcm", "1.2.840.10008.1.2.1.99", true)]
    [InlineData("MR_small_padded.dcm", "1.2.840.10008.1.2.1", true)]
    [InlineData("SC_rgb_rle.dcm", "1.2.840.10008.1.2.5", true)]
    [InlineData("SC_rgb_jpeg_gdcm.dcm", "1.2.840.10008.1.2.4.70", true)]
    public void ReadsEachEncoding(string name, string transferSyntax, bool explicitVR)
    {
        var file = DicomFileReader.Read(Corpus(name));

        Assert.Equal(transferSyntax, file.TransferSyntax.Uid);
        Assert.Equal(explicitVR, file.TransferSyntax.ExplicitVR);
        Assert.NotNull(file.PixelDataElement);
        Assert.True(file.Dataset.GetInteger(DicomTag.Rows) > 0);
        Assert.False(string.IsNullOrEmpty(file.Dataset.GetString(DicomTag.SopInstanceUid)));
    }

    [Fact]
    public void ReadsDataSetsWithoutPreambleOrMetaGroup()
    {
        var file = DicomFileReader.Read(Corpus("ExplVR_LitEndNoMeta.dcm"));

        Assert.False(file.HasPreamble);
        Assert.Empty(file.FileMeta);
        Assert.True(file.TransferSyntax.ExplicitVR);
        Assert.Equal("RTPLAN", file.Dataset.GetString(DicomTag.Modality));
    }

    [Fact]
    public void ReadsNestedPrivateSequences()
    {
        var file = DicomFileReader.Read(Corpus("nested_priv_SQ.dcm"));

        // Implicit VR, undefined lengths, an unknown tag: read as a sequence, two levels deep.
        var sequence = file.Dataset.Single(e => e.IsSequence);
        Assert.Equal(new DicomTag(0x0001, 0x0001), sequence.Tag);
        var inner = sequence.Items!.SelectMany(i => i).FirstOrDefault(e => e.IsSequence);
        Assert.NotNull(inner);
        Assert.NotEmpty(inner!.Items!);
    }

    [Fact]
    public void ReadsSpecificCharacterSets()
    {
        var file = DicomFileReader.Read(Corpus("MR_small_padded.dcm"));

        Assert.Equal("CompressedSamples^MR1", file.Dataset.GetString(DicomTag.PatientName));
        Assert.Equal(new[] { 0.3125, 0.3125 }, file.Dataset.GetDoubles(DicomTag.PixelSpacing));
    }

    [Theory]
    [InlineData("rtplan_truncated.dcm", ErrorIds.DicomTruncated)]
    public void RefusesWhatIsNotReadable(string name, string errorId)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => DicomFileReader.Read(Corpus(name)));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(name, ex.Message);
    }

    [Fact]
    public void AFileTruncatedInItsHeaderNamesTheOffset()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Corpus("MR_small_padded.dcm"));
        var path = temp.Write("cut.dcm", string.Empty);
        File.WriteAllBytes(path, bytes[..400]);

        var ex = Assert.Throws<MdaiClaraException>(() => DicomFileReader.Read(path));

        Assert.Equal(ErrorIds.DicomTruncated, ex.ErrorId);
        Assert.Contains("byte", ex.Message);
    }

    [Fact]
    public void AnAbsurdLengthIsRefusedWithoutAllocating()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Corpus("MR_small_padded.dcm"));
        // (0008,0016) SOP Class UID sits early in the data set: give it a 2 GB length.
        var at = FindTag(bytes, 0x0008, 0x0016);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 6), 0xFFF0);
        var path = Path.Combine(temp.Path, "absurd.dcm");
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<MdaiClaraException>(() => DicomFileReader.Read(path));

        Assert.Contains("(0008,0016)", ex.Message);
    }

    [Fact]
    public void ABadVRIsNamedWithItsTag()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Corpus("MR_small_padded.dcm"));
        var at = FindTag(bytes, 0x0028, 0x0010);
        bytes[at + 4] = 0x01;
        bytes[at + 5] = 0x02;
        var path = Path.Combine(temp.Path, "badvr.dcm");
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<MdaiClaraException>(() => DicomFileReader.Read(path));

        Assert.Equal(ErrorIds.DicomInvalid, ex.ErrorId);
        Assert.Contains("(0028,0010)", ex.Message);
        Assert.Contains("no valid VR", ex.Message);
    }

    [Fact]
    public void AWrongTransferSyntaxClaimIsReadAsEncodedWithAWarning()
    {
        // This file claims JPEG Baseline (an explicit VR syntax) but its data set is implicit VR.
        var file = DicomFileReader.Read(Path.Combine(TestPaths.Fixtures, "dicom", "corpus", "files", "SC_rgb_jpeg.dcm"));

        Assert.False(file.TransferSyntax.ExplicitVR);
        Assert.Contains(file.Warnings, w => w.Contains("implicit VR", StringComparison.Ordinal));
        Assert.Equal(256, file.Dataset.GetInteger(DicomTag.Rows));
    }

    [Fact]
    public void HeadersAreReadWithoutThePixelData()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Corpus("MR_small_padded.dcm"));
        var path = Path.Combine(temp.Path, "no-pixels.dcm");
        var pixel = FindTag(bytes, 0x7FE0, 0x0010);
        File.WriteAllBytes(path, bytes[..(pixel + 12 + 100)]); // pixel data cut short

        var file = DicomFileReader.Read(path);

        Assert.NotNull(file.PixelDataElement);
        Assert.Equal(64, file.Dataset.GetInteger(DicomTag.Rows));
        var ex = Assert.Throws<MdaiClaraException>(() => DicomPixelData.Open(file));
        Assert.Equal(ErrorIds.DicomTruncated, ex.ErrorId);
        Assert.Contains("before the end of the pixel data", ex.Message);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })]
    [InlineData(new byte[] { (byte)'#', (byte)' ', (byte)'R', (byte)'E', (byte)'A', (byte)'D', (byte)'M', (byte)'E', (byte)'\n', (byte)'T', (byte)'h', (byte)'e', (byte)'s', (byte)'e' })]
    public void GarbageIsNotDicom(byte[] bytes)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "garbage.dcm");
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<MdaiClaraException>(() => DicomFileReader.Read(path));

        Assert.Equal(ErrorIds.DicomNotDicom, ex.ErrorId);
        Assert.False(DicomFileReader.LooksLikeDicom(path));
    }

    internal static int FindTag(byte[] bytes, ushort group, ushort element)
    {
        for (var n = 132; n + 4 <= bytes.Length; n += 1)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(n)) == group && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(n + 2)) == element)
            {
                return n;
            }
        }

        throw new InvalidOperationException($"tag ({group:X4},{element:X4}) not found");
    }
}
