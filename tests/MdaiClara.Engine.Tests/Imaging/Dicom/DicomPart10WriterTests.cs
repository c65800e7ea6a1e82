using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Dicom;

/// <summary>The Part 10 writer through three readers: ours, pydicom and dcmtk's dcmdump.</summary>
public class DicomPart10WriterTests
{
    private static DicomWriteDataset Sample()
    {
        var ds = new DicomWriteDataset(Encoding.UTF8);
        ds.Add(DicomTag.SpecificCharacterSet, "ISO_IR 192")
            .Add(DicomTag.SopClassUid, "1.2.840.10008.5.1.4.1.1.7")
            .Add(DicomTag.SopInstanceUid, "1.2.3.456") // odd length: padded with NUL
            .Add(DicomTag.PatientName, "Müller^Ann") // 11 bytes in UTF-8: padded with a space
            .Add(DicomTag.PatientId, (string?)null)
            .Add(DicomTag.ImageType, "DERIVED", "PRIMARY")
            .AddDecimals(DicomTag.PixelSpacing, 0.1234567890123456789, -1234.5)
            .AddInteger(DicomTag.SeriesNumber, 7)
            .AddUInt16(DicomTag.Rows, 3)
            .AddUInt16(DicomTag.Columns, 1)
            .AddTags(DicomWriteTags.DimensionIndexPointer, DicomTag.ImagePositionPatient)
            .AddSequence(DicomWriteTags.SegmentSequence,
                ds.NewItem().AddUInt16(DicomWriteTags.SegmentNumber, 1).Add(DicomWriteTags.SegmentLabel, "odd")
                    .AddCode(DicomWriteTags.SegmentedPropertyTypeCodeSequence, new DicomCode("78961009", "SCT", "Spleen")),
                ds.NewItem().AddUInt16(DicomWriteTags.SegmentNumber, 2))
            .AddSequence(DicomTag.SharedFunctionalGroups)
            .AddBytes(DicomTag.PixelData, DicomVR.OB, new byte[] { 1, 2, 3 });
        return ds;
    }

    [Fact]
    public void OurReaderPydicomAndDcmdumpReadWhatWasWritten()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "x.dcm");
        var bytes = DicomPart10Writer.Write(path, Sample());
        var raw = File.ReadAllBytes(path);
        Assert.Equal(raw.Length, bytes);
        Assert.Equal("DICM", Encoding.ASCII.GetString(raw, 128, 4));
        Assert.True(raw.Length % 2 == 0);

        var file = DicomFileReader.Read(path);
        Assert.Equal("1.2.840.10008.1.2.1", file.FileMeta.GetString(DicomTag.TransferSyntaxUid));
        Assert.Equal(DicomImplementation.ClassUid, file.FileMeta.GetString(new DicomTag(0x0002, 0x0012)));
        // The group length counts the meta elements after it exactly.
        var groupLength = file.FileMeta.GetInteger(DicomTag.FileMetaGroupLength)!.Value;
        Assert.Equal(0x0008, BitConverter.ToUInt16(raw, 132 + 12 + (int)groupLength));
        Assert.Empty(file.Warnings);
        var ds = file.Dataset;
        Assert.Equal("Müller^Ann", ds.GetString(DicomTag.PatientName));
        Assert.Equal(12, ds[DicomTag.PatientName]!.Value.Length);
        Assert.Equal((byte)' ', ds[DicomTag.PatientName]!.Value.Span[^1]);
        Assert.Equal(0, ds[DicomTag.SopInstanceUid]!.Value.Span[^1]);
        Assert.Equal(0, ds[DicomTag.PatientId]!.Value.Length);
        Assert.Equal(new[] { "DERIVED", "PRIMARY" }, ds.GetStrings(DicomTag.ImageType));
        var spacing = ds.GetStrings(DicomTag.PixelSpacing);
        Assert.All(spacing, s => Assert.True(s.Length <= 16, s));
        Assert.Equal(0.1234567890123456789, double.Parse(spacing[0], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal(3, ds.GetInteger(DicomTag.Rows));
        var segments = ds.GetSequence(DicomWriteTags.SegmentSequence);
        Assert.Equal(2, segments.Count);
        Assert.Equal("Spleen", segments[0].GetItem(DicomWriteTags.SegmentedPropertyTypeCodeSequence)!.GetString(DicomWriteTags.CodeMeaning));
        Assert.Empty(ds.GetSequence(DicomTag.SharedFunctionalGroups));
        Assert.Equal(4, file.PixelDataElement!.ValueLength);

        var py = JsonDocument.Parse(PythonPeer.Run("""
            import json, sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            print(json.dumps({"name": str(ds.PatientName), "uid": ds.SOPInstanceUID, "ts": ds.file_meta.TransferSyntaxUID,
                "seq": [int(i.SegmentNumber) for i in ds.SegmentSequence], "code": ds.SegmentSequence[0].SegmentedPropertyTypeCodeSequence[0].CodeValue,
                "pointer": int(ds.DimensionIndexPointer), "pixels": list(ds.PixelData), "vr": ds["PixelData"].VR,
                "impl": ds.file_meta.ImplementationClassUID, "spacing": [float(v) for v in ds.PixelSpacing]}))
            """, path)).RootElement;
        Assert.Equal("Müller^Ann", py.GetProperty("name").GetString());
        Assert.Equal("1.2.3.456", py.GetProperty("uid").GetString());
        Assert.Equal(new[] { 1, 2 }, py.GetProperty("seq").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("78961009", py.GetProperty("code").GetString());
        Assert.Equal(0x00200032, py.GetProperty("pointer").GetInt32());
        Assert.Equal(new[] { 1, 2, 3, 0 }, py.GetProperty("pixels").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(-1234.5, py.GetProperty("spacing")[1].GetDouble());

        var dump = ToolPeer.Run("dcmdump", "dcmtk", "-q", path);
        Assert.True(dump.ExitCode == 0 && dump.StandardError.Length == 0, dump.All);
        Assert.Contains("(0002,0012) UI [" + DicomImplementation.ClassUid + "]", dump.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(0062,0002) SQ (Sequence with explicit length #=2)", dump.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(0008,0104) LO [Spleen]", dump.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(0020,9165) AT (0020,0032)", dump.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(7fe0,0010) OB 01\\02\\03\\00", dump.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesAVrCannotHoldAreRefusedNamingTheAttribute()
    {
        var ds = new DicomWriteDataset();
        var ex = Assert.Throws<MdaiClaraException>(() => ds.Add(DicomTag.Modality, "seg"));
        Assert.Equal(ErrorIds.DicomWriteValueInvalid, ex.ErrorId);
        Assert.Contains("Modality (0008,0060) (CS)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<MdaiClaraException>(() => ds.Add(DicomTag.SeriesDescription, new string('x', 65)));
        Assert.Throws<MdaiClaraException>(() => ds.Add(DicomTag.SopInstanceUid, "1.2.03"));
        Assert.Throws<MdaiClaraException>(() => ds.Add(DicomTag.PatientId, "a\\b"));
        Assert.Throws<MdaiClaraException>(() => ds.Add(DicomTag.StudyDate, "2026-12-07"));
        Assert.Equal(16, DicomValueRules.FormatDecimal(-123.456789012345678).Length);
    }

    [Fact]
    public void NewUidsAreValidUniqueAndUnderTheirRoot()
    {
        var a = DicomUids.New();
        var b = DicomUids.New();
        Assert.NotEqual(a, b);
        Assert.StartsWith("2.25.", a, StringComparison.Ordinal);
        Assert.Null(DicomUids.Problem(a));
        var rooted = DicomUids.New("1.2.826.0.1.3680043.10.1234");
        Assert.Null(DicomUids.Problem(rooted));
        Assert.True(rooted.Length <= 64);
        Assert.Equal(ErrorIds.DicomUidRootInvalid, Assert.Throws<MdaiClaraException>(() => DicomUids.New("1.2.x")).ErrorId);
        Assert.Equal(ErrorIds.DicomUidRootInvalid, Assert.Throws<MdaiClaraException>(() => DicomUids.New("1." + new string('1', 40))).ErrorId);
        Assert.Null(DicomUids.Problem(DicomImplementation.ClassUid));
    }
}
