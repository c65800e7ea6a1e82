using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// Study Root C-FIND against Orthanc holding the golden series and the phantom (OrthancFixture): every query gives the
/// same studies and series, field for field, as the same query over DICOMweb (QIDO-RS) to the same server.
/// </summary>
public sealed class DimseFindTests : IClassFixture<OrthancFixture>
{
    private readonly OrthancFixture _orthanc;
    private readonly DimseConnection _dimse;

    public DimseFindTests(OrthancFixture orthanc)
    {
        _orthanc = orthanc;
        _dimse = new DimseConnection("dimse", new DimseEndpoint("127.0.0.1", orthanc.Server.DicomPort, "ORTHANC", "MDAICLARA", TimeSpan.FromSeconds(10)));
    }

    public static IEnumerable<object[]> Queries() =>
    [
        [new DicomQuery()],
        [new DicomQuery { PatientId = "PHANTOM0001" }],
        [new DicomQuery { PatientId = "PH11*" }],
        [new DicomQuery { StudyDate = DicomDateRange.Parse("20240401-") }],
        [new DicomQuery { StudyDate = DicomDateRange.Parse("-20240331") }],
        [new DicomQuery { StudyDate = DicomDateRange.Parse("20261201-") }],
        [new DicomQuery { AccessionNumber = "GOLD1102" }],
        [new DicomQuery { Modality = "CT" }],
        [new DicomQuery { Modality = "MR" }],
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void StudiesMatchQido(DicomQuery query)
    {
        var web = _orthanc.Pacs.FindStudies(query, null, CancellationToken.None).OrderBy(s => s.StudyInstanceUid, StringComparer.Ordinal).ToList();
        var dimse = _dimse.FindStudies(query, null, CancellationToken.None).OrderBy(s => s.StudyInstanceUid, StringComparer.Ordinal).ToList();
        Assert.Equal(web.Select(Fields), dimse.Select(Fields));
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void SeriesMatchQido(DicomQuery query)
    {
        var web = _orthanc.Pacs.FindSeries(query, null, CancellationToken.None).OrderBy(s => s.SeriesInstanceUid, StringComparer.Ordinal).ToList();
        var dimse = _dimse.FindSeries(query, null, CancellationToken.None).OrderBy(s => s.SeriesInstanceUid, StringComparer.Ordinal).ToList();
        Assert.Equal(web.Select(s => s with { Connection = _dimse }), dimse);
    }

    [Fact]
    public void PhantomStudyHasItsKnownValues()
    {
        var phantom = Assert.Single(_dimse.FindStudies(new DicomQuery { PatientId = "PHANTOM0001" }, null, CancellationToken.None));
        Assert.Equal(("2.25.30886435814071526820621879663004794400", new DateOnly(2024, 5, 1), "SAMPLE0001", 1, 40),
            (phantom.StudyInstanceUid, phantom.StudyDate, phantom.AccessionNumber, phantom.NumberOfSeries, phantom.NumberOfInstances));
        Assert.Equal(["CT"], phantom.Modalities);
        var (study, series) = OrthancFixture.Uids(OrthancFixture.SeriesFolders[2]);
        var one = Assert.Single(_dimse.FindSeries(new DicomQuery { StudyInstanceUid = study }, null, CancellationToken.None));
        Assert.Equal((series, "CT", 40, 1), (one.SeriesInstanceUid, one.Modality, one.NumberOfInstances, one.SeriesNumber));
    }

    [Fact]
    public void LimitAndOffsetPageTheResults()
    {
        var all = _dimse.FindStudies(new DicomQuery(), null, CancellationToken.None).Select(s => s.StudyInstanceUid).ToList();
        Assert.Equal(3, all.Count);
        var pages = Enumerable.Range(0, 3)
            .Select(i => Assert.Single(_dimse.FindStudies(new DicomQuery { Limit = 1, Offset = i }, null, CancellationToken.None)).StudyInstanceUid).ToList();
        Assert.Equal(all.Order(), pages.Order());
        Assert.Equal(2, _dimse.FindStudies(new DicomQuery { Limit = 2 }, null, CancellationToken.None).Count());
    }

    private object Fields(DicomStudy s) => (s.StudyInstanceUid, s.PatientId, s.PatientName, s.StudyDate, s.StudyTime, s.AccessionNumber,
        s.StudyDescription, string.Join(",", s.Modalities), s.NumberOfSeries, s.NumberOfInstances);
}
