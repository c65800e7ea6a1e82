using System;
using System.Collections.Generic;
using System.Net;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>
/// How our association acceptor listens: the AE title peers must call (anything else is rejected with "called AE
/// title not recognized"), the TCP port (0 = a free one), the address to bind, the timeout of every read (the ARTIM
/// timer for the A-ASSOCIATE-RQ, and the idle limit inside an association), how many associations run at once (one
/// more is rejected as "local limit exceeded") and, optionally, the only calling AE titles accepted.
/// </summary>
public sealed record DimseAcceptorOptions
{
    public const string DefaultAeTitle = "MDAICLARA";
    public const int DefaultMaxAssociations = 8;

    public DimseAcceptorOptions(string aeTitle, int port)
    {
        if (port is < 0 or > 65535)
        {
            throw new MdaiClaraException($"The listening port {port} is outside 1-65535.", ErrorIds.DimseListenFailed, ErrorKind.InvalidArgument, port);
        }

        AeTitle = DimseEndpoint.CheckAeTitle(aeTitle, "listening");
        Port = port;
    }

    public string AeTitle { get; }

    public int Port { get; }

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxAssociations { get; init; } = DefaultMaxAssociations;

    /// <summary>When set, only these calling AE titles are accepted (others: "calling AE title not recognized").</summary>
    public IReadOnlySet<string>? CallingAETitles { get; init; }
}
