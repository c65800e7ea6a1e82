using MdaiClara.Engine.Networking.Dimse.Messages;

namespace MdaiClara.Engine.Networking.Dimse.Retrieve;

/// <summary>The sub-operation counts of a C-GET or C-MOVE response (PS3.7 9.3.3.2): remaining (pending responses only), completed, failed, warning.</summary>
public sealed record RetrieveCounts(int? Remaining, int Completed, int Failed, int Warning)
{
    /// <summary>All sub-operations the peer announced so far, when it said how many remain.</summary>
    public int? Total => Remaining is { } remaining ? remaining + Completed + Failed + Warning : null;

    public static RetrieveCounts From(DimseCommand response) => new(
        response.TryGetUInt16(DimseCommandTags.NumberOfRemainingSuboperations, out var r) ? r : null,
        Count(response, DimseCommandTags.NumberOfCompletedSuboperations),
        Count(response, DimseCommandTags.NumberOfFailedSuboperations),
        Count(response, DimseCommandTags.NumberOfWarningSuboperations));

    public override string ToString() =>
        $"{Completed} completed, {Failed} failed, {Warning} with warnings" + (Remaining is { } left ? $", {left} remaining" : "");

    private static int Count(DimseCommand response, uint tag) => response.TryGetUInt16(tag, out var n) ? n : 0;
}
