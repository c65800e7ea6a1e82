using MdaiClara.Engine.Networking.Dimse.Messages;

namespace MdaiClara.Engine.Networking.Dimse.Retrieve;

/// <summary>Builders of the C-GET-RQ and C-MOVE-RQ commands (PS3.7 9.3.3, 9.3.4), medium priority, an identifier following.</summary>
public static class RetrieveCommands
{
    public static DimseCommand GetRequest(ushort messageId) => new DimseCommand()
        .SetString(DimseCommandTags.AffectedSopClassUid, RetrieveKeys.StudyRootGet, isUid: true)
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CGetRequest)
        .SetUInt16(DimseCommandTags.MessageId, messageId)
        .SetUInt16(DimseCommandTags.Priority, 0)
        .SetUInt16(DimseCommandTags.CommandDataSetType, 0x0000);

    public static DimseCommand MoveRequest(ushort messageId, string moveDestination) => new DimseCommand()
        .SetString(DimseCommandTags.AffectedSopClassUid, RetrieveKeys.StudyRootMove, isUid: true)
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CMoveRequest)
        .SetUInt16(DimseCommandTags.MessageId, messageId)
        .SetUInt16(DimseCommandTags.Priority, 0)
        .SetString(DimseCommandTags.MoveDestination, moveDestination, isUid: false)
        .SetUInt16(DimseCommandTags.CommandDataSetType, 0x0000);
}
