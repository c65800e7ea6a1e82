using System;
using System.Collections.Generic;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>How an association our acceptor served came to its end.</summary>
public enum DimseAssociationEnd
{
    /// <summary>The peer released it (A-RELEASE): everything it sent is complete.</summary>
    Released,

    /// <summary>We refused it (A-ASSOCIATE-RJ): wrong called AE, unknown calling AE, too many associations.</summary>
    Rejected,

    /// <summary>The peer aborted it (A-ABORT).</summary>
    AbortedByPeer,

    /// <summary>We aborted it: a protocol error, a timeout, or the receiver was stopped.</summary>
    Aborted,

    /// <summary>The connection was lost without a release or abort.</summary>
    ConnectionLost,
}

/// <summary>One association our acceptor served: who, how it ended and why, and the instances it stored.</summary>
public sealed record DimseAssociationSummary(
    string Peer,
    string CallingAE,
    string CalledAE,
    DimseAssociationEnd End,
    string? Reason,
    IReadOnlyList<DimseStoredInstance> Stored,
    int Failed,
    DateTimeOffset Started,
    TimeSpan Duration);
