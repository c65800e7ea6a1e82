namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>The second byte of the JPEG markers the decoder acts on (ITU T.81 Table B.1, ITU T.87 for JPEG-LS).</summary>
internal static class JpegMarker
{
    public const byte Sof0Baseline = 0xC0;
    public const byte Sof1Extended = 0xC1;
    public const byte Sof2Progressive = 0xC2;
    public const byte Sof3Lossless = 0xC3;
    public const byte Dht = 0xC4;
    public const byte Jpg = 0xC8;
    public const byte Dac = 0xCC;
    public const byte Rst0 = 0xD0;
    public const byte Rst7 = 0xD7;
    public const byte Soi = 0xD8;
    public const byte Eoi = 0xD9;
    public const byte Sos = 0xDA;
    public const byte Dqt = 0xDB;
    public const byte Dnl = 0xDC;
    public const byte Dri = 0xDD;
    public const byte Dhp = 0xDE;
    public const byte Exp = 0xDF;
    public const byte App0 = 0xE0;
    public const byte App14 = 0xEE;
    public const byte Sof55JpegLs = 0xF7;
    public const byte LseJpegLs = 0xF8;
    public const byte Com = 0xFE;
    public const byte Tem = 0x01;

    /// <summary>True for the SOFn markers (0xC0..0xCF except DHT, JPG and DAC).</summary>
    public static bool IsStartOfFrame(byte marker) =>
        marker >= 0xC0 && marker <= 0xCF && marker != Dht && marker != Jpg && marker != Dac;

    /// <summary>True for markers that stand alone, without a length field.</summary>
    public static bool IsStandalone(byte marker) => marker == Tem || (marker >= Rst0 && marker <= Eoi);

    /// <summary>Names the coding process of a frame or table marker the decoder does not implement.</summary>
    public static string? DescribeUnsupported(byte marker) => marker switch
    {
        Sof2Progressive => "progressive DCT with Huffman coding (SOF2, DICOM processes 10-12)",
        0xC5 => "hierarchical differential sequential DCT (SOF5)",
        0xC6 => "hierarchical differential progressive DCT (SOF6)",
        0xC7 => "hierarchical differential lossless coding (SOF7)",
        0xC9 => "extended sequential DCT with arithmetic coding (SOF9)",
        0xCA => "progressive DCT with arithmetic coding (SOF10)",
        0xCB => "lossless coding with arithmetic coding (SOF11)",
        0xCD => "hierarchical differential sequential DCT with arithmetic coding (SOF13)",
        0xCE => "hierarchical differential progressive DCT with arithmetic coding (SOF14)",
        0xCF => "hierarchical differential lossless coding with arithmetic coding (SOF15)",
        Dac => "arithmetic coding (DAC marker)",
        Dhp or Exp => "hierarchical coding (DHP/EXP marker)",
        Sof55JpegLs or LseJpegLs => "JPEG-LS (ITU T.87, SOF55; DICOM JPEG-LS transfer syntaxes)",
        _ => null,
    };
}
