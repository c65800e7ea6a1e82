using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using System.Threading;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>
/// Writes a DICOM Part 10 file (PS3.10 7.1): 128-byte preamble, "DICM", the File Meta Information group (explicit VR
/// little endian, with its group length, version 00\01, the SOP class and instance, the transfer syntax and MdaiClara's
/// implementation identity), then the data set in explicit VR little endian with every sequence and item of defined
/// length. Values were encoded and padded to even lengths when they were added (<see cref="DicomWriteDataset"/>); a
/// large value (pixel data) is written straight from its array.
/// </summary>
public static class DicomPart10Writer
{
    /// <summary>Explicit VR Little Endian.</summary>
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    private static readonly DicomTag FileMetaInformationVersion = new(0x0002, 0x0001);
    private static readonly DicomTag ImplementationClassUid = new(0x0002, 0x0012);
    private static readonly DicomTag ImplementationVersionName = new(0x0002, 0x0013);

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static long Write(string path, DicomWriteDataset dataset, CancellationToken cancellationToken = default)
    {
        long length = 0;
        AtomicFile.Write(path, stream =>
        {
            Write(stream, dataset, cancellationToken);
            length = stream.Length;
        });
        return length;
    }

    /// <summary>Writes the Part 10 file to <paramref name="stream"/>; the SOP class and instance come from the data set.</summary>
    public static void Write(Stream stream, DicomWriteDataset dataset, CancellationToken cancellationToken = default)
    {
        var sopClass = Text(dataset, DicomTag.SopClassUid);
        var sopInstance = Text(dataset, DicomTag.SopInstanceUid);
        var version = new DicomWriteElement(FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 });
        var metaElements = new[]
        {
            version,
            Meta(DicomTag.MediaStorageSopClassUid, DicomVR.UI, sopClass, 0),
            Meta(DicomTag.MediaStorageSopInstanceUid, DicomVR.UI, sopInstance, 0),
            Meta(DicomTag.TransferSyntaxUid, DicomVR.UI, ExplicitVrLittleEndian, 0),
            Meta(ImplementationClassUid, DicomVR.UI, DicomImplementation.ClassUid, 0),
            Meta(ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName, (byte)' '),
        };

        long groupLength = 0;
        foreach (var e in metaElements)
        {
            groupLength += e.EncodedLength;
        }

        var output = new BufferedStream(stream, 1 << 16);
        output.Write(new byte[128]);
        output.Write("DICM"u8);
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(four, checked((uint)groupLength));
        WriteElement(output, new DicomWriteElement(DicomTag.FileMetaGroupLength, DicomVR.UL, four.ToArray()), cancellationToken);
        foreach (var e in metaElements)
        {
            WriteElement(output, e, cancellationToken);
        }

        foreach (var e in dataset)
        {
            WriteElement(output, e, cancellationToken);
        }

        output.Flush();
    }

    private static void WriteElement(Stream output, DicomWriteElement element, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, element.Tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element.Tag.Element);
        header[4] = (byte)element.VR.First;
        header[5] = (byte)element.VR.Second;
        var valueLength = element.EncodedLength - (element.VR.HasLongLength ? 12 : 8);
        if (element.VR.HasLongLength)
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], checked((uint)valueLength));
            output.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], checked((ushort)valueLength));
            output.Write(header[..8]);
        }

        if (element.Items is null)
        {
            output.Write(element.Value);
            return;
        }

        foreach (var item in element.Items)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header, DicomTag.Item.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], DicomTag.Item.Element);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], checked((uint)item.EncodedLength));
            output.Write(header[..8]);
            foreach (var child in item)
            {
                WriteElement(output, child, cancellationToken);
            }
        }
    }

    private static DicomWriteElement Meta(DicomTag tag, DicomVR vr, string value, byte pad)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = pad;
        }

        return new DicomWriteElement(tag, vr, bytes);
    }

    private static string Text(DicomWriteDataset dataset, DicomTag tag) =>
        dataset[tag] is { Items: null } e ? Encoding.ASCII.GetString(e.Value).TrimEnd('\0', ' ')
        : throw new ArgumentException($"The data set has no {DicomDictionary.Keyword(tag)} {tag}; a Part 10 file needs it for its File Meta Information.", nameof(dataset));
}
