using System;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>Where a DIMSE peer is and who talks to it: host, port, the peer's AE title (called) and ours (calling), and the timeout of every connect and read.</summary>
public sealed record DimseEndpoint
{
    public const string DefaultCallingAE = "MDAICLARA";

    public DimseEndpoint(string host, int port, string calledAE, string callingAE, TimeSpan timeout)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw Invalid("The host name is empty.");
        }

        if (port is < 1 or > 65535)
        {
            throw Invalid($"The port {port} is outside 1-65535.");
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw Invalid($"The timeout {timeout} is not positive.");
        }

        Host = host;
        Port = port;
        CalledAE = CheckAeTitle(calledAE, "called");
        CallingAE = CheckAeTitle(callingAE, "calling");
        Timeout = timeout;
    }

    public string Host { get; }

    public int Port { get; }

    public string CalledAE { get; }

    public string CallingAE { get; }

    public TimeSpan Timeout { get; }

    /// <summary>DICOM TLS settings, or null for plain TCP.</summary>
    public DimseTlsOptions? Tls { get; init; }

    /// <summary>host:port and the AE titles, the way log lines and errors name the peer.</summary>
    public override string ToString() => $"{CalledAE}@{Host}:{Port}";

    /// <summary>An AE title as PS3.5 allows it: 1-16 characters of the default repertoire, no backslash or control character, not only spaces.</summary>
    public static string CheckAeTitle(string title, string role)
    {
        var trimmed = title?.Trim() ?? "";
        if (trimmed.Length is 0 or > DimseLimits.MaxAeTitleLength || trimmed.Any(c => c < 0x20 || c > 0x7E || c == '\\'))
        {
            throw Invalid($"The {role} AE title '{title}' is not valid: an AE title has 1 to 16 printable ASCII characters without a backslash.");
        }

        return trimmed;
    }

    private static MdaiClaraException Invalid(string what) => new(what, ErrorIds.DimseConnectionInvalid, ErrorKind.InvalidArgument);
}
