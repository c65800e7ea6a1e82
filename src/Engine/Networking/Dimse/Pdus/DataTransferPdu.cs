using System.Collections.Generic;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>P-DATA-TF (PS3.8 9.3.5): one or more presentation data values.</summary>
public sealed record DataTransferPdu(IReadOnlyList<PresentationDataValue> Values) : IPdu;
