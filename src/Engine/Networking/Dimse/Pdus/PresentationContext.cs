using System.Collections.Generic;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>A presentation context proposed in an A-ASSOCIATE-RQ: an odd id, one abstract syntax, its transfer syntaxes.</summary>
public sealed record PresentationContext(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>The acceptor's answer to one proposed presentation context (A-ASSOCIATE-AC item 21H).</summary>
public sealed record PresentationContextResult(byte Id, PresentationContextOutcome Outcome, string TransferSyntax)
{
    public bool IsAccepted => Outcome == PresentationContextOutcome.Acceptance;

    /// <summary>"1: Acceptance 1.2.840.10008.1.2.1", as lists show it.</summary>
    public override string ToString() => IsAccepted ? $"{Id}: {Outcome} {TransferSyntax}" : $"{Id}: {Outcome}";
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
