namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>A-ABORT (PS3.8 9.3.8): who aborted, and why when the upper-layer provider did.</summary>
public sealed record AbortPdu(byte Source, byte Reason) : IPdu
{
    public const byte ServiceUser = 0;
    public const byte ServiceProvider = 2;

    public string SourceName => Source switch
    {
        0 => "DICOM UL service-user",
        2 => "DICOM UL service-provider",
        _ => $"source {Source}",
    };

    public string ReasonName => Source != ServiceProvider ? "no reason (user abort)" : Reason switch
    {
        0 => "reason not specified",
        1 => "unrecognized PDU",
        2 => "unexpected PDU",
        4 => "unrecognized PDU parameter",
        5 => "unexpected PDU parameter",
        6 => "invalid PDU parameter value",
        _ => $"reason {Reason}",
    };

    public override string ToString() => $"aborted by the {SourceName}: {ReasonName}";
}
