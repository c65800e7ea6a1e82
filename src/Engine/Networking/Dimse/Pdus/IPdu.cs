namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>A decoded protocol data unit of the DICOM upper layer.</summary>
public interface IPdu
{
}

/// <summary>A-RELEASE-RQ (PS3.8 9.3.6).</summary>
public sealed record ReleaseRequestPdu : IPdu;

/// <summary>A-RELEASE-RP (PS3.8 9.3.7).</summary>
public sealed record ReleaseResponsePdu : IPdu;
