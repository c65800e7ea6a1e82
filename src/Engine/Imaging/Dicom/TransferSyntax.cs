using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging.Dicom;

public enum PixelCodec
{
    /// <summary>Uncompressed pixel data.</summary>
    Native,
    RleLossless,
    JpegLossless,
    JpegLossy,

    /// <summary>A compressed syntax this engine does not decode (JPEG-LS, JPEG 2000, video…).</summary>
    Unsupported,
}

/// <summary>How a data set is encoded: VR explicit or implicit, byte order, deflate, and how pixels are compressed.</summary>
public sealed record TransferSyntax(string Uid, string Name, bool ExplicitVR, bool LittleEndian, bool Deflated, bool Encapsulated, PixelCodec Codec)
{
    public static readonly TransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false, PixelCodec.Native);
    public static readonly TransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false, PixelCodec.Native);
    public static readonly TransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true, false, PixelCodec.Native);
    public static readonly TransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false, false, false, PixelCodec.Native);

    private static readonly Dictionary<string, TransferSyntax> Known = Build();

    /// <summary>The syntax for a UID; an unknown UID is treated as an encapsulated syntax we cannot decode.</summary>
    public static TransferSyntax FromUid(string uid) =>
        Known.TryGetValue(uid.Trim().TrimEnd('\0'), out var ts) ? ts : new TransferSyntax(uid, $"unknown transfer syntax {uid}", true, true, false, true, PixelCodec.Unsupported);

    public bool IsKnown => Known.ContainsKey(Uid);

    /// <summary>What to do with pixel data this engine cannot decode.</summary>
    public string Remedy => Codec == PixelCodec.Unsupported
        ? "Decompress it first, for example with 'gdcmconv --raw in.dcm out.dcm' (GDCM) or 'dcmdjpls in.dcm out.dcm' / 'dcmdjpeg' (DCMTK), then read the result."
        : string.Empty;

    private static Dictionary<string, TransferSyntax> Build()
    {
        var list = new[]
        {
            ImplicitVRLittleEndian,
            ExplicitVRLittleEndian,
            DeflatedExplicitVRLittleEndian,
            ExplicitVRBigEndian,
            Compressed("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", PixelCodec.JpegLossy),
            Compressed("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", PixelCodec.JpegLossy),
            Compressed("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", PixelCodec.JpegLossless),
            Compressed("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", PixelCodec.JpegLossless),
            Compressed("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", PixelCodec.Unsupported),
            Compressed("1.2.840.10008.1.2.5", "RLE Lossless", PixelCodec.RleLossless),
        };
        var map = new Dictionary<string, TransferSyntax>();
        foreach (var ts in list)
        {
            map[ts.Uid] = ts;
        }

        return map;
    }

    private static TransferSyntax Compressed(string uid, string name, PixelCodec codec) => new(uid, name, true, true, false, true, codec);

    public override string ToString() => $"{Name} ({Uid})";
}
