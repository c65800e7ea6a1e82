using System;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>
/// One Presentation Data Value item of a P-DATA-TF: a fragment of a command or a data set on one presentation
/// context; the message control header says which, and whether it is the last fragment.
/// </summary>
public sealed record PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data)
{
    /// <summary>The message control header byte (PS3.8 E.2): bit 0 command, bit 1 last fragment.</summary>
    public byte ControlHeader => (byte)((IsCommand ? 1 : 0) | (IsLast ? 2 : 0));
}
