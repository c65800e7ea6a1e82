using System.Collections.Generic;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>
/// User Information item (50H): the largest P-DATA-TF PDU the sender accepts (0 = no limit), its implementation
/// identity and role selections. Sub-items we do not act on (asynchronous operations window, extended negotiation,
/// user identity) are skipped when reading and counted in <see cref="UnknownSubItems"/>.
/// </summary>
public sealed record UserInformation(uint MaxPduLength, string ImplementationClassUid, string? ImplementationVersionName,
    IReadOnlyList<RoleSelection> RoleSelections)
{
    public int UnknownSubItems { get; init; }
}
