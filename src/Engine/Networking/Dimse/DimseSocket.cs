using System;
using System.Net.Sockets;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// Socket settings for DIMSE round trips. A peer that leaves Nagle's algorithm on (Orthanc by default, many PACS) and
/// writes a response in two pieces waits for our ACK of the first before sending the second, while Linux delays that
/// ACK by up to 40 ms: every C-ECHO or C-STORE response then costs ~40 ms on loopback. Asking for an immediate ACK before
/// each read (TCP_QUICKACK, which the kernel clears again by itself) removes that wait on our side.
/// </summary>
internal static class DimseSocket
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12; // TCP_QUICKACK on Linux (raw: .NET's SocketOptionName has no such member)
    private static readonly byte[] One = BitConverter.GetBytes(1);

    public static void QuickAck(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, One);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A closed socket: the read that follows reports it.
        }
    }
}
