using System;
using System.IO;
using System.Linq;
using System.Text;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;

namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>
/// The Patient, General Study and Frame of Reference attributes a segmentation copies from its source series: read
/// from the header of the first source file when it is on disk, else what the volume's series geometry kept.
/// </summary>
internal sealed class DicomSegSource
{
    private static readonly DicomTag[] Copied =
    {
        DicomTag.PatientName, DicomTag.PatientId, DicomWriteTags.PatientBirthDate, DicomWriteTags.PatientSex,
        DicomTag.StudyDate, DicomWriteTags.StudyTime, DicomWriteTags.ReferringPhysicianName, DicomWriteTags.StudyId,
        DicomWriteTags.AccessionNumber, DicomWriteTags.StudyDescription, DicomWriteTags.PositionReferenceIndicator,
        DicomTag.FrameOfReferenceUid, DicomTag.SopClassUid,
    };

    private readonly DicomDataset? _header;
    private readonly DicomSeriesGeometry _geometry;

    private DicomSegSource(DicomSeriesGeometry geometry, DicomDataset? header)
    {
        _geometry = geometry;
        _header = header;
    }

    public static DicomSegSource Of(DicomSeriesGeometry geometry)
    {
        var file = geometry.Slices.Select(s => s.File).FirstOrDefault(f => f is not null && File.Exists(f));
        DicomDataset? header = null;
        if (file is not null)
        {
            try
            {
                header = DicomFileReader.Read(file).Dataset;
            }
            catch (MdaiClaraException)
            {
                // A source file changed since it was read: the geometry's own identifiers are still right.
            }
        }

        return new DicomSegSource(geometry, header);
    }

    /// <summary>The source's text value of <paramref name="tag"/> (decoded with its character set), or what the geometry kept.</summary>
    public string? Get(DicomTag tag)
    {
        var value = _header?.GetString(tag);
        if (value is { Length: > 0 })
        {
            return value;
        }

        return tag == DicomTag.PatientId ? _geometry.PatientId
            : tag == DicomTag.StudyDate ? _geometry.StudyDate
            : tag == DicomTag.FrameOfReferenceUid ? _geometry.FrameOfReferenceUid
            : tag == DicomTag.SopClassUid ? _geometry.SopClassUid
            : null;
    }

    /// <summary>UTF-8 when any copied value or <paramref name="ours"/> is not plain ASCII, else ASCII.</summary>
    public bool NeedsUnicode(params string?[] ours) =>
        Copied.Select(Get).Concat(ours).Any(v => v is not null && v.Any(c => c > 0x7E));

    /// <summary>Copies <paramref name="tag"/> as a type 2 attribute: empty when the source has no valid value for it.</summary>
    public void CopyTo(DicomWriteDataset target, DicomTag tag)
    {
        var value = Get(tag);
        try
        {
            target.Add(tag, value);
        }
        catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.DicomWriteValueInvalid)
        {
            // A source value DICOM does not allow (too long, wrong characters) is not ours to repair: leave it empty.
            target.Add(tag, (string?)null);
        }
    }

    public static Encoding EncodingFor(bool unicode) => unicode ? Encoding.UTF8 : Encoding.ASCII;

    public static string Describe(DicomSeriesGeometry geometry) => $"series {geometry.SeriesInstanceUid}";
}
