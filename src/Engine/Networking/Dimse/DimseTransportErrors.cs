using System;
using System.IO;
using System.Net.Sockets;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>Turns socket failures into the engine's DIMSE errors, naming the peer and the step.</summary>
internal static class DimseTransportErrors
{
    public static MdaiClaraException From(Exception error, string peer, string step, TimeSpan timeout)
    {
        var socket = error as SocketException ?? error.InnerException as SocketException;
        if (socket?.SocketErrorCode == SocketError.TimedOut || error is TimeoutException or OperationCanceledException)
        {
            return Timeout(peer, step, timeout, error);
        }

        if (error is EndOfStreamException || socket?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
        {
            return new MdaiClaraException($"The DICOM peer {peer} closed the connection while {step}. The peer may have been stopped or may refuse our AE title silently; check its logs.",
                ErrorIds.DimsePeerClosed, ErrorKind.ResourceUnavailable, peer, error);
        }

        return new MdaiClaraException($"The DICOM peer {peer} could not be reached while {step}: {socket?.SocketErrorCode.ToString() ?? error.Message}. Check the host name, the port and any firewall between us.",
            ErrorIds.DimseUnreachable, ErrorKind.ResourceUnavailable, peer, error);
    }

    public static MdaiClaraException Timeout(string peer, string step, TimeSpan timeout, Exception? inner = null) => new(
        $"The DICOM peer {peer} did not answer within {timeout.TotalSeconds:0.#} s while {step}. Check that the port is the peer's DICOM port and that the peer is not overloaded, or allow a longer timeout.",
        ErrorIds.DimseTimeout, ErrorKind.OperationStopped, peer, inner);
}
