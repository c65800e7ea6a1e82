using System;
using System.Collections.Generic;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// What a verification (C-ECHO) told us: whether the peer answered Success, the association result (accepted, or
/// the A-ASSOCIATE-RJ / A-ABORT named), the presentation contexts it accepted and the round-trip time of the echo.
/// </summary>
public sealed record DimseEchoResult(
    bool Success,
    string Endpoint,
    string AssociationResult,
    IReadOnlyList<PresentationContextResult> PresentationContexts,
    string? PeerImplementationClassUid,
    string? PeerImplementationVersionName,
    uint PeerMaxPduLength,
    ushort? Status,
    TimeSpan? RoundTrip,
    string? ErrorId,
    string? Message);
