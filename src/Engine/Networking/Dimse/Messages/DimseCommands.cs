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

    /// <summary>C-FIND-RQ with medium priority; an identifier follows.</summary>
    public static DimseCommand FindRequest(ushort messageId, string sopClass) => new DimseCommand()
        .SetString(DimseCommandTags.AffectedSopClassUid, sopClass, isUid: true)
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CFindRequest)
        .SetUInt16(DimseCommandTags.MessageId, messageId)
        .SetUInt16(DimseCommandTags.Priority, 0)
        .SetUInt16(DimseCommandTags.CommandDataSetType, 0x0000);

    /// <summary>C-STORE-RQ with medium priority; the instance's data set follows.</summary>
    public static DimseCommand StoreRequest(ushort messageId, string sopClass, string sopInstance) => new DimseCommand()
        .SetString(DimseCommandTags.AffectedSopClassUid, sopClass, isUid: true)
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CStoreRequest)
        .SetUInt16(DimseCommandTags.MessageId, messageId)
        .SetUInt16(DimseCommandTags.Priority, 0)
        .SetUInt16(DimseCommandTags.CommandDataSetType, 0x0000)
        .SetString(DimseCommandTags.AffectedSopInstanceUid, sopInstance, isUid: true);

    /// <summary>C-CANCEL-RQ for an outstanding request (PS3.7 9.3.2.3).</summary>
    public static DimseCommand CancelRequest(ushort messageIdBeingCancelled) => new DimseCommand()
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CCancelRequest)
        .SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, messageIdBeingCancelled)
        .SetUInt16(DimseCommandTags.CommandDataSetType, DimseCommandTags.NoDataSet);
}
