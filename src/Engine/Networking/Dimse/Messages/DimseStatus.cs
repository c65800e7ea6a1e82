namespace MdaiClara.Engine.Networking.Dimse.Messages;

/// <summary>The class of a DIMSE status code (PS3.7 C), and a readable name for the common ones.</summary>
public static class DimseStatus
{
    public const ushort Success = 0x0000;
    public const ushort Cancel = 0xFE00;

    public static bool IsPending(ushort status) => status is 0xFF00 or 0xFF01;

    public static bool IsWarning(ushort status) => status is 0x0001 or 0x0107 or 0x0116 || (status & 0xF000) == 0xB000;

    public static string Describe(ushort status) => status switch
    {
        0x0000 => "0000H success",
        0xFF00 or 0xFF01 => $"{status:X4}H pending",
        0xFE00 => "FE00H cancelled",
        0x0001 or 0x0107 or 0x0116 => $"{status:X4}H warning",
        _ when (status & 0xF000) == 0xB000 => $"{status:X4}H warning",
        0x0122 => "0122H failure: SOP class not supported",
        0x0124 => "0124H failure: not authorized",
        0x0211 => "0211H failure: unrecognized operation",
        0x0213 => "0213H failure: resource limitation",
        _ when (status & 0xFF00) == 0xA700 => $"{status:X4}H failure: out of resources",
        _ when (status & 0xFF00) == 0xA900 => $"{status:X4}H failure: data set does not match SOP class",
        0xA801 => "A801H failure: move destination unknown",
        0xC000 or 0xC001 => $"{status:X4}H failure: unable to process",
        _ when (status & 0xF000) == 0xC000 => $"{status:X4}H failure: cannot understand",
        _ => $"{status:X4}H failure",
    };
}
