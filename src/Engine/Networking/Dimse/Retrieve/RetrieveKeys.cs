using MdaiClara.Engine.Networking.Dimse.Query;

namespace MdaiClara.Engine.Networking.Dimse.Retrieve;

/// <summary>Study Root Query/Retrieve GET and MOVE (PS3.4 C.4.2, C.4.3): the SOP classes and the series-level identifier.</summary>
public static class RetrieveKeys
{
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";

    /// <summary>The identifier of one series: Query/Retrieve Level SERIES, the study and the series UID (unique keys only).</summary>
    internal static DimseIdentifier Series(string studyInstanceUid, string seriesInstanceUid) => new DimseIdentifier()
        .Set(FindKeys.QueryRetrieveLevel, "CS", "SERIES")
        .Set(FindKeys.StudyInstanceUid, "UI", studyInstanceUid)
        .Set(FindKeys.SeriesInstanceUid, "UI", seriesInstanceUid);
}
