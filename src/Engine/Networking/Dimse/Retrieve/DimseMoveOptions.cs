using System.Net;

namespace MdaiClara.Engine.Networking.Dimse.Retrieve;

/// <summary>
/// Where a C-MOVE sends the instances: the move destination AE title (the peer must know it, with our host and the
/// listening port) and the port our short-lived storage SCP listens on for the duration of the retrieval.
/// </summary>
public sealed record DimseMoveOptions(string Destination, int ListenPort)
{
    /// <summary>The address the listener binds (all interfaces by default: the PACS connects to us).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;
}
