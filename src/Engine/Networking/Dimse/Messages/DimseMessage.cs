using System;

namespace MdaiClara.Engine.Networking.Dimse.Messages;

/// <summary>A whole DIMSE message as it travels on one presentation context: the command and, if any, the data set bytes (in the context's transfer syntax).</summary>
public sealed record DimseMessage(byte PresentationContextId, DimseCommand Command, ReadOnlyMemory<byte>? DataSet);
