namespace MdaiClara.Engine.Networking.Dimse.Messages;

/// <summary>Builders of the request commands MdaiClara sends.</summary>
public static class DimseCommands
{
    /// <summary>Verification SOP Class (PS3.4 A.4).</summary>
    public const string VerificationSopClass = "1.2.840.10008.1.1";

    public static DimseCommand EchoRequest(ushort messageId) => new DimseCommand()
        .SetString(DimseCommandTags.AffectedSopClassUid, VerificationSopClass, isUid: true)
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CEchoRequest)
        .SetUInt16(DimseCommandTags.MessageId, messageId)
        .SetUInt16(DimseCommandTags.CommandDataSetType, DimseCommandTags.NoDataSet);
}
