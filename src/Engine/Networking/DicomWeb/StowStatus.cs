using System.Globalization;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>The DICOM status codes a STOW-RS answer gives per instance (PS3.4 Annex B, PS3.18 10.5), in words.</summary>
public static class StowStatus
{
    public static string Describe(int code) => code switch
    {
        0x0110 => "processing failure",
        0x0111 => "duplicate SOP instance",
        0x0112 => "no such SOP instance",
        0x0117 => "invalid object instance",
        0x0119 => "SOP class and instance do not match",
        0x0122 => "SOP class not supported",
        0x0124 => "not authorized",
        0x0210 => "duplicate invocation",
        0x0211 => "unrecognized operation",
        0x0212 => "mistyped argument",
        0xA700 => "out of resources",
        0xA770 => "out of resources: the server's storage is full",
        0xA900 => "data set does not match the SOP class",
        0xB000 => "stored after coercion of data elements",
        0xB006 => "stored with some elements discarded",
        0xB007 => "stored although the data set does not match the SOP class",
        0xC000 => "cannot understand the data set",
        0xC122 => "transfer syntax not supported",
        _ when code is >= 0xA700 and <= 0xA7FF => "out of resources",
        _ when code is >= 0xC000 and <= 0xCFFF => "cannot understand the data set",
        _ => "a status the standard does not name",
    };

    public static string Format(int code) => $"0x{code.ToString("X4", CultureInfo.InvariantCulture)} ({Describe(code)})";
}
