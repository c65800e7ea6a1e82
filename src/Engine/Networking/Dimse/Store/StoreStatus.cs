using MdaiClara.Engine.Networking.Dimse.Messages;

namespace MdaiClara.Engine.Networking.Dimse.Store;

/// <summary>C-STORE response statuses (PS3.4 B.2.3 and PS3.7 C) as outcomes and in words.</summary>
internal static class StoreStatus
{
    public static DicomStoreStatus Outcome(ushort status) => status switch
    {
        DimseStatus.Success => DicomStoreStatus.Stored,
        0x0001 or 0x0107 or 0x0116 or 0xB000 or 0xB006 or 0xB007 => DicomStoreStatus.Warning,
        _ => DicomStoreStatus.Failed,
    };

    public static string Describe(ushort status) => status switch
    {
        0xB000 => "B000H warning: coercion of data elements (the PACS changed some values)",
        0xB006 => "B006H warning: elements discarded",
        0xB007 => "B007H warning: data set does not match SOP class",
        0x0107 => "0107H warning: attribute list error",
        0x0116 => "0116H warning: attribute value out of range",
        0x0001 => "0001H warning",
        0x0110 => "0110H failure: processing failure",
        0x0111 => "0111H failure: duplicate SOP instance",
        0x0117 => "0117H failure: invalid object instance",
        0x0119 => "0119H failure: class-instance conflict",
        0x0122 => "0122H failure: SOP class not supported",
        0x0124 => "0124H failure: not authorized",
        0x0210 => "0210H failure: duplicate invocation",
        0x0211 => "0211H failure: unrecognized operation",
        0x0212 => "0212H failure: mistyped argument",
        0x0213 => "0213H failure: resource limitation",
        0xFE00 => "FE00H cancelled",
        _ when (status & 0xFF00) == 0xA700 => $"{status:X4}H failure: refused, out of resources",
        _ when (status & 0xFF00) == 0xA900 => $"{status:X4}H failure: data set does not match SOP class",
        _ when (status & 0xF000) == 0xC000 => $"{status:X4}H failure: cannot understand",
        _ => DimseStatus.Describe(status),
    };
}
