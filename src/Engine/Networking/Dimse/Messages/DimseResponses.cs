namespace MdaiClara.Engine.Networking.Dimse.Messages;

/// <summary>Builders of the response commands MdaiClara sends when it is the performer (C-ECHO SCP, C-STORE SCP).</summary>
public static class DimseResponses
{
    /// <summary>C-ECHO-RSP (PS3.7 9.3.5.2): always success.</summary>
    public static DimseCommand EchoResponse(DimseCommand request) => new DimseCommand()
        .SetString(DimseCommandTags.AffectedSopClassUid, request.GetString(DimseCommandTags.AffectedSopClassUid) ?? DimseCommands.VerificationSopClass, isUid: true)
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CEchoResponse)
        .SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, request.MessageId)
        .SetUInt16(DimseCommandTags.CommandDataSetType, DimseCommandTags.NoDataSet)
        .SetUInt16(DimseCommandTags.Status, DimseStatus.Success);

    /// <summary>C-STORE-RSP (PS3.7 9.3.1.2) with the status and, for a failure or warning, an error comment (at most 64 characters).</summary>
    public static DimseCommand StoreResponse(DimseCommand request, ushort status, string? comment)
    {
        var response = new DimseCommand()
            .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CStoreResponse)
            .SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, request.MessageId)
            .SetUInt16(DimseCommandTags.CommandDataSetType, DimseCommandTags.NoDataSet)
            .SetUInt16(DimseCommandTags.Status, status);
        if (request.GetString(DimseCommandTags.AffectedSopClassUid) is { Length: > 0 } sopClass)
        {
            response.SetString(DimseCommandTags.AffectedSopClassUid, sopClass, isUid: true);
        }

        if (request.GetString(DimseCommandTags.AffectedSopInstanceUid) is { Length: > 0 } sopInstance)
        {
            response.SetString(DimseCommandTags.AffectedSopInstanceUid, sopInstance, isUid: true);
        }

        if (status != DimseStatus.Success && !string.IsNullOrEmpty(comment))
        {
            response.SetString(DimseCommandTags.ErrorComment, comment.Length > 64 ? comment[..64] : comment, isUid: false);
        }

        return response;
    }
}
