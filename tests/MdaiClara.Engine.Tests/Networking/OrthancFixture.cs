using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.DicomWeb;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Networking;

/// <summary>
/// One Orthanc for the round-trip tests, loaded once by STOW-RS with the golden DICOM series (s16, u12) and the
/// phantom series; stopped when the tests of the class end, whatever their outcome.
/// </summary>
public sealed class OrthancFixture : IDisposable
{
    public OrthancFixture()
    {
        Server = new OrthancServer();
        try
        {
            Pacs = Server.Connect();
            foreach (var folder in SeriesFolders)
            {
                var files = Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToList();
                var results = Pacs.Store(files, null, null, CancellationToken.None);
                StoreResults.AddRange(results);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static IReadOnlyList<string> SeriesFolders { get; } =
    [
        Path.Combine(TestPaths.Fixtures, "dicom", "golden_series", "dcm_ct_s16", "dicom"),
        Path.Combine(TestPaths.Fixtures, "dicom", "golden_series", "dcm_ct_u12", "dicom"),
        Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom"),
    ];

    internal OrthancServer Server { get; }

    public DicomWebConnection Pacs { get; private set; } = null!;

    public List<DicomStoreResult> StoreResults { get; } = [];

    /// <summary>The original files of a series folder by SOP Instance UID.</summary>
    public static Dictionary<string, string> BySopInstanceUid(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => DicomFileReader.Read(f).Dataset.GetString(DicomTag.SopInstanceUid)!, f => f, StringComparer.Ordinal);

    public static (string Study, string Series) Uids(string folder)
    {
        var ds = DicomFileReader.Read(Directory.GetFiles(folder).First()).Dataset;
        return (ds.GetString(DicomTag.StudyInstanceUid)!, ds.GetString(DicomTag.SeriesInstanceUid)!);
    }

    public void Dispose()
    {
        Pacs?.Dispose();
        Server.Dispose();
    }
}
