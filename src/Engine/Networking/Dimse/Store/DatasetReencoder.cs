using System;
using System.Buffers.Binary;
using System.IO;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Networking.Dimse.Store;

/// <summary>
/// Writes a parsed data set again in Explicit or Implicit VR Little Endian, for a peer that did not accept the file's
/// own transfer syntax. The source may be either VR encoding, little or big endian (values are swapped by VR), or
/// deflated; its pixel data must be native (not encapsulated). Sequences and items are written with undefined length
/// (so no length needs recomputing), group lengths are dropped, and the pixel data is copied from the file in chunks.
/// <see cref="Problem"/> says why a file cannot be re-encoded.
/// </summary>
internal static class DatasetReencoder
{
    private const int CopyChunk = 1 << 16;
    private static readonly DicomTag TrailingPadding = new(0xFFFC, 0xFFFC);

    /// <summary>Why the file cannot be re-encoded, or null when it can.</summary>
    public static string? Problem(DicomFile file)
    {
        var ts = file.TransferSyntax;
        if (ts.Encapsulated)
        {
            return $"its pixel data is compressed ({ts.Name}) and re-encoding it uncompressed is not supported; decompress it first (e.g. 'dcmdjpeg in.dcm out.dcm' from DCMTK)";
        }

        if (file.PixelDataElement is { ValueLength: < 0 })
        {
            return "its pixel data has an undefined length although the transfer syntax is native";
        }

        return TrailingElement(file) is { } tag
            ? $"it has the element {tag} after its pixel data, which re-encoding does not carry"
            : null;
    }

    public static void Write(DicomFile file, bool explicitVr, Stream target)
    {
        var swap = !file.TransferSyntax.LittleEndian;
        WriteElements(file.Dataset, explicitVr, swap, target, file, topLevel: true);
    }

    private static void WriteElements(DicomDataset dataset, bool explicitVr, bool swap, Stream target, DicomFile file, bool topLevel)
    {
        foreach (var element in dataset)
        {
            if (element.Tag.Element == 0x0000 || element.Tag.Group == 0x0002)
            {
                continue;
            }

            if (element.Items is { } items)
            {
                WriteHeader(target, element.Tag, DicomVR.SQ, uint.MaxValue, explicitVr);
                foreach (var item in items)
                {
                    WriteTag(target, DicomTag.Item, uint.MaxValue);
                    WriteElements(item, explicitVr, swap, target, file, topLevel: false);
                    WriteTag(target, DicomTag.ItemDelimitation, 0);
                }

                WriteTag(target, DicomTag.SequenceDelimitation, 0);
                continue;
            }

            if (topLevel && ReferenceEquals(element, file.PixelDataElement))
            {
                var vr = element.VR == DicomVR.UN ? DicomVR.OW : element.VR;
                WriteHeader(target, element.Tag, vr, (uint)element.ValueLength, explicitVr);
                CopyPixelData(file, element, swap ? WordSize(vr) : 1, target);
                continue;
            }

            var value = element.Value.Span;
            var vrOut = element.VR.IsKnown ? element.VR : DicomVR.UN;
            if (explicitVr && !vrOut.HasLongLength && value.Length > ushort.MaxValue)
            {
                vrOut = DicomVR.UN;
            }

            WriteHeader(target, element.Tag, vrOut, (uint)value.Length, explicitVr);
            if (swap && WordSize(element.VR) > 1)
            {
                var copy = value.ToArray();
                Swap(copy, copy.Length, WordSize(element.VR));
                target.Write(copy);
            }
            else
            {
                target.Write(value);
            }
        }
    }

    private static void CopyPixelData(DicomFile file, DicomElement pixels, int wordSize, Stream target)
    {
        if (file.InflatedDataset is { } inflated)
        {
            var bytes = inflated.AsSpan((int)pixels.ValueOffset, (int)pixels.ValueLength).ToArray();
            Swap(bytes, bytes.Length, wordSize);
            target.Write(bytes);
            return;
        }

        using var source = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        source.Position = pixels.ValueOffset;
        var chunk = new byte[CopyChunk];
        var left = pixels.ValueLength;
        while (left > 0)
        {
            var n = source.Read(chunk, 0, (int)Math.Min(chunk.Length, left));
            if (n == 0)
            {
                throw new EndOfStreamException($"{file.Path} ended inside its pixel data");
            }

            // Chunks are a multiple of 8 bytes, so a word never straddles two of them.
            Swap(chunk, n, wordSize);
            target.Write(chunk, 0, n);
            left -= n;
        }
    }

    /// <summary>The byte size of one value of a binary VR (1 for text and byte VRs, which never swap).</summary>
    private static int WordSize(DicomVR vr) => vr.ToString() switch
    {
        "US" or "SS" or "OW" or "AT" => 2,
        "UL" or "SL" or "FL" or "OF" or "OL" => 4,
        "FD" or "OD" or "SV" or "UV" or "OV" => 8,
        _ => 1,
    };

    private static void Swap(byte[] bytes, int count, int wordSize)
    {
        if (wordSize > 1)
        {
            for (var i = 0; i + wordSize <= count; i += wordSize)
            {
                Array.Reverse(bytes, i, wordSize);
            }
        }
    }

    private static void WriteHeader(Stream target, DicomTag tag, DicomVR vr, uint length, bool explicitVr)
    {
        Span<byte> head = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(head, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], tag.Element);
        if (!explicitVr)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(head[4..], length);
            target.Write(head[..8]);
            return;
        }

        head[4] = (byte)vr.First;
        head[5] = (byte)vr.Second;
        if (vr.HasLongLength)
        {
            head[6] = 0;
            head[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(head[8..], length);
            target.Write(head);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(head[6..], (ushort)length);
            target.Write(head[..8]);
        }
    }

    private static void WriteTag(Stream target, DicomTag tag, uint length)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(head, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], length);
        target.Write(head);
    }

    /// <summary>The first element after the pixel data other than trailing padding, or null when there is none.</summary>
    private static DicomTag? TrailingElement(DicomFile file)
    {
        if (file.PixelDataElement is not { ValueLength: >= 0 } pixels)
        {
            return null;
        }

        var at = pixels.ValueOffset + pixels.ValueLength;
        if (at + 4 > file.SourceLength)
        {
            return null;
        }

        Span<byte> head = stackalloc byte[4];
        if (file.InflatedDataset is { } inflated)
        {
            inflated.AsSpan((int)at, 4).CopyTo(head);
        }
        else
        {
            using var source = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            source.Position = at;
            source.ReadExactly(head);
        }

        var little = file.TransferSyntax.LittleEndian;
        var tag = new DicomTag(little ? BinaryPrimitives.ReadUInt16LittleEndian(head) : BinaryPrimitives.ReadUInt16BigEndian(head),
            little ? BinaryPrimitives.ReadUInt16LittleEndian(head[2..]) : BinaryPrimitives.ReadUInt16BigEndian(head[2..]));
        return tag == TrailingPadding ? null : tag;
    }
}
