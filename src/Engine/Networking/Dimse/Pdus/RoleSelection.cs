namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>
/// SCP/SCU Role Selection sub-item (54H, PS3.7 D.3.3.4) for one SOP class: in a request, the roles the requestor
/// wants to play; in an accept, the roles the acceptor grants (C-GET needs the SCU to act as storage SCP).
/// </summary>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);
