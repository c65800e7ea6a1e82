namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>The size limits the upper layer applies to what it sends and accepts.</summary>
public static class DimseLimits
{
    /// <summary>The largest P-DATA-TF PDU (variable part) we ask peers to send us: 256 KiB, a size that keeps a fast loopback busy.</summary>
    public const uint DefaultMaxPduLength = 262144;

    /// <summary>The largest association PDU (RQ/AC) accepted: hundreds of presentation contexts fit well under it.</summary>
    public const uint MaxAssociationPduLength = 1 << 20;

    /// <summary>The hard cap of any PDU read, whatever was negotiated (a peer with "no limit" still cannot make us allocate more).</summary>
    public const uint HardMaxPduLength = 16 << 20;

    /// <summary>The smallest P-DATA PDU we fragment to, if a peer announces a smaller maximum (a PDV header needs room).</summary>
    public const uint MinPduLength = 64;

    /// <summary>The longest AE title (PS3.5 AE VR).</summary>
    public const int MaxAeTitleLength = 16;
}
