using System;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.DicomWeb;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking;

public sealed class DicomQueryTests
{
    [Theory]
    [InlineData("20261201-", "2026-12-01", null, "20261201-")]
    [InlineData("-20261231", null, "2026-12-31", "-20261231")]
    [InlineData("20261201-20261231", "2026-12-01", "2026-12-31", "20261201-20261231")]
    [InlineData("20261201", "2026-12-01", "2026-12-01", "20261201")]
    public void DateRangesParseAndPrintInTheDicomForm(string text, string? from, string? to, string printed)
    {
        var range = DicomDateRange.Parse(text);
        Assert.Equal(from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), range.From);
        Assert.Equal(to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), range.To);
        Assert.Equal(printed, range.ToString());
    }

    [Theory]
    [InlineData("2026-12-01")]
    [InlineData("20261301-")]
    [InlineData("20261231-20261201")]
    [InlineData("-")]
    [InlineData("1-2-3")]
    public void MalformedDateRangesAreClearErrors(string text)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => DicomDateRange.Parse(text));
        Assert.Equal(ErrorIds.DicomQueryInvalid, ex.ErrorId);
        Assert.Contains("YYYYMMDD", ex.Message);
    }

    [Fact]
    public void StudyQueriesCarryEveryFilterAndPaging()
    {
        var path = QidoSearch.StudiesPath(new DicomQuery
        {
            PatientId = "PAT*", StudyDate = DicomDateRange.Parse("20261201-"), Modality = "CT", AccessionNumber = "A 1",
            StudyInstanceUid = "1.2.3", Limit = 10, Offset = 20,
        });
        Assert.StartsWith("studies?", path);
        foreach (var part in new[] { "PatientID=PAT*", "StudyDate=20261201-", "AccessionNumber=A%201", "StudyInstanceUID=1.2.3", "ModalitiesInStudy=CT", "limit=10", "offset=20", "includefield=00081030" })
        {
            Assert.Contains(part, path);
        }
    }

    [Fact]
    public void SeriesQueriesInAStudyUseItsPath()
    {
        var path = QidoSearch.SeriesPath(new DicomQuery { StudyInstanceUid = "1.2.3", Modality = "CT" });
        Assert.StartsWith("studies/1.2.3/series?", path);
        Assert.Contains("Modality=CT", path);
        Assert.StartsWith("series?", QidoSearch.SeriesPath(new DicomQuery()));
    }

    [Theory]
    [InlineData("1.2.3/../../admin")]
    [InlineData("1.2.abc")]
    [InlineData("")]
    public void UidsThatCouldChangeTheUrlAreRefused(string uid)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => QidoSearch.SeriesPath(new DicomQuery { StudyInstanceUid = uid.Length == 0 ? "." : uid }));
        Assert.Equal(ErrorIds.DicomQueryInvalid, ex.ErrorId);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(null, -1)]
    public void PagingOutOfRangeIsRefused(int? limit, int? offset)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => QidoSearch.StudiesPath(new DicomQuery { Limit = limit, Offset = offset }));
        Assert.Equal(ErrorIds.DicomQueryInvalid, ex.ErrorId);
    }

    [Theory]
    [InlineData("ftp://pacs/dicom-web")]
    [InlineData("http://user:pw@pacs/dicom-web")]
    [InlineData("http://pacs/dicom-web?x=1")]
    public void ConnectionAddressesMustBeAPlainHttpServiceRoot(string uri)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => new DicomWebOptions(new Uri(uri), "pacs"));
        Assert.Equal(ErrorIds.DicomConnectionInvalid, ex.ErrorId);
        Assert.DoesNotContain("pw", ex.Message);
    }

    [Fact]
    public void TheServiceRootAlwaysEndsWithASlash() =>
        Assert.Equal("http://pacs/dicom-web/", new DicomWebOptions(new Uri("http://pacs/dicom-web"), "pacs").BaseUri.ToString());
}
