namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>A-ASSOCIATE-RJ (PS3.8 9.3.4): result, source and reason as raw codes, with their names.</summary>
public sealed record AssociateReject(byte Result, byte Source, byte Reason) : IPdu
{
    public string ResultName => Result switch
    {
        1 => "rejected-permanent",
        2 => "rejected-transient",
        _ => $"result {Result}",
    };

    public string SourceName => Source switch
    {
        1 => "DICOM UL service-user",
        2 => "DICOM UL service-provider (ACSE related function)",
        3 => "DICOM UL service-provider (presentation related function)",
        _ => $"source {Source}",
    };

    public string ReasonName => (Source, Reason) switch
    {
        (1, 1) => "no reason given",
        (1, 2) => "application context name not supported",
        (1, 3) => "calling AE title not recognized",
        (1, 7) => "called AE title not recognized",
        (2, 1) => "no reason given",
        (2, 2) => "protocol version not supported",
        (3, 1) => "temporary congestion",
        (3, 2) => "local limit exceeded",
        _ => $"reason {Reason}",
    };

    public override string ToString() => $"{ResultName} by the {SourceName}: {ReasonName}";
}
