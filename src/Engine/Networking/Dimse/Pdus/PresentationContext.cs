using System.Collections.Generic;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>A presentation context proposed in an A-ASSOCIATE-RQ: an odd id, one abstract syntax, its transfer syntaxes.</summary>
public sealed record PresentationContext(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>The acceptor's answer to one proposed presentation context (A-ASSOCIATE-AC item 21H).</summary>
public sealed record PresentationContextResult(byte Id, PresentationContextOutcome Outcome, string TransferSyntax)
{
    public bool IsAccepted => Outcome == PresentationContextOutcome.Acceptance;
}

/// <summary>Result/Reason of a presentation context in an A-ASSOCIATE-AC (PS3.8 9.3.3.2).</summary>
public enum PresentationContextOutcome : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}
