using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking;

/// <summary>STOW-RS, QIDO-RS and WADO-RS against a real Orthanc with its DICOMweb plugin, authentication on.</summary>
public sealed class OrthancDicomWebTests : IClassFixture<OrthancFixture>
{
    private readonly OrthancFixture _orthanc;

    public OrthancDicomWebTests(OrthancFixture orthanc) => _orthanc = orthanc;

    private sealed class Collect<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];

        public void Report(T value) => Items.Add(value);
    }

    [Fact]
    public void StowStoresEveryGoldenInstance()
    {
        var expected = OrthancFixture.SeriesFolders.Sum(f => Directory.GetFiles(f).Length);
        Assert.Equal(expected, _orthanc.StoreResults.Count);
        Assert.All(_orthanc.StoreResults, r => Assert.True(r.Status == DicomStoreStatus.Stored, $"{r.Path}: {r.Status} {r.Reason}"));
        Assert.All(_orthanc.StoreResults, r => Assert.Equal("orthanc", r.Connection));
    }

    [Fact]
    public void StoringAgainIsAcceptedAsTheSameInstances()
    {
        var files = Directory.GetFiles(OrthancFixture.SeriesFolders[2]).Take(2).ToList();
        var results = _orthanc.Pacs.Store(files, null, null, CancellationToken.None);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.NotEqual(DicomStoreStatus.Failed, r.Status));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void WadoRetrievesEverySeriesBitForBit(int which)
    {
        var folder = OrthancFixture.SeriesFolders[which];
        var (study, series) = OrthancFixture.Uids(folder);
        var originals = OrthancFixture.BySopInstanceUid(folder);
        using var temp = new TempDirectory();
        var progress = new Collect<DicomInstanceProgress>();
        var receipt = _orthanc.Pacs.ReceiveSeries(study, series, temp.Combine("in"), progress, null, CancellationToken.None, expectedInstances: originals.Count);
        Assert.Equal(originals.Count, receipt.Instances);
        Assert.Equal(originals.Count, receipt.Received);
        Assert.Equal(0, receipt.Skipped);
        Assert.Equal(originals.Values.Sum(f => new FileInfo(f).Length), receipt.BytesReceived);
        var received = Directory.GetFiles(receipt.Path);
        Assert.Equal(originals.Count, received.Length);
        foreach (var (uid, original) in originals)
        {
            var copy = Path.Combine(receipt.Path, uid + ".dcm");
            Assert.True(File.ReadAllBytes(original).AsSpan().SequenceEqual(File.ReadAllBytes(copy)), $"{uid} differs from {original}");
        }

        Assert.Equal(Enumerable.Range(1, originals.Count), progress.Items.Select(p => p.Done));
        Assert.All(progress.Items, p => Assert.Equal(originals.Count, p.Total));
    }

    [Fact]
    public void ARetrievalResumesWithWhatIsMissing()
    {
        var folder = OrthancFixture.SeriesFolders[2];
        var (study, series) = OrthancFixture.Uids(folder);
        using var temp = new TempDirectory();
        var target = temp.Combine("in");
        _orthanc.Pacs.ReceiveSeries(study, series, target, null, null, CancellationToken.None);
        var files = Directory.GetFiles(target).OrderBy(f => f, StringComparer.Ordinal).ToList();
        foreach (var f in files.Take(5))
        {
            File.Delete(f);
        }

        File.WriteAllBytes(files[5], File.ReadAllBytes(files[5]).AsSpan(0, 100).ToArray()); // cut off, as by a power loss
        File.Copy(files[6], Path.Combine(target, "renamed-by-someone.dcm")); // present under another name: still present
        File.Delete(files[6]);

        var receipt = _orthanc.Pacs.ReceiveSeries(study, series, target, null, null, CancellationToken.None);
        Assert.Equal(40, receipt.Instances);
        Assert.Equal(6, receipt.Received);
        Assert.Equal(34, receipt.Skipped);
        Assert.False(File.Exists(files[6]));
        var originals = OrthancFixture.BySopInstanceUid(folder);
        foreach (var f in files.Take(6))
        {
            var uid = Path.GetFileNameWithoutExtension(f);
            Assert.True(File.ReadAllBytes(originals[uid]).AsSpan().SequenceEqual(File.ReadAllBytes(f)), $"{uid} differs");
        }

        var again = _orthanc.Pacs.ReceiveSeries(study, series, target, null, null, CancellationToken.None);
        Assert.Equal((0, 40), (again.Received, again.Skipped));

        // Most of it missing: the series comes in one answer and what is there is skipped as it passes.
        var present = Directory.GetFiles(target).OrderBy(f => f, StringComparer.Ordinal).ToList();
        foreach (var f in present.Skip(10))
        {
            File.Delete(f);
        }

        var progress = new Collect<DicomInstanceProgress>();
        var most = _orthanc.Pacs.ReceiveSeries(study, series, target, progress, null, CancellationToken.None);
        Assert.Equal((40, 30, 10), (most.Instances, most.Received, most.Skipped));
        Assert.Equal(Enumerable.Range(1, 40), progress.Items.Select(p => p.Done));
        Assert.Equal(40, Directory.GetFiles(target).Length);
        Assert.All(Directory.GetFiles(target), f => Assert.Equal(File.ReadAllBytes(originals[Path.GetFileNameWithoutExtension(f)]), File.ReadAllBytes(f)));
    }

    [Fact]
    public void QidoFindsStudiesByEachFilter()
    {
        var pacs = _orthanc.Pacs;
        IReadOnlyList<DicomStudy> Find(DicomQuery q) => pacs.FindStudies(q, CancellationToken.None);
        Assert.Equal(3, Find(new DicomQuery()).Count);
        var phantom = Assert.Single(Find(new DicomQuery { PatientId = "PHANTOM0001" }));
        Assert.Equal("2.25.30886435814071526820621879663004794400", phantom.StudyInstanceUid);
        Assert.Equal(new DateOnly(2024, 5, 1), phantom.StudyDate);
        Assert.Equal("SAMPLE0001", phantom.AccessionNumber);
        Assert.Equal(["CT"], phantom.Modalities);
        Assert.Equal(1, phantom.NumberOfSeries);
        Assert.Equal(40, phantom.NumberOfInstances);
        Assert.Equal(["PH1101", "PH1102"], Find(new DicomQuery { PatientId = "PH11*" }).Select(s => s.PatientId).Order());
        Assert.Single(Find(new DicomQuery { StudyDate = DicomDateRange.Parse("20240401-") }));
        Assert.Equal(2, Find(new DicomQuery { StudyDate = DicomDateRange.Parse("-20240331") }).Count);
        Assert.Empty(Find(new DicomQuery { StudyDate = DicomDateRange.Parse("20261201-") }));
        Assert.Single(Find(new DicomQuery { AccessionNumber = "GOLD1102" }));
        Assert.Single(Find(new DicomQuery { StudyInstanceUid = phantom.StudyInstanceUid }));
        Assert.Equal(3, Find(new DicomQuery { Modality = "CT" }).Count);
        Assert.Empty(Find(new DicomQuery { Modality = "MR" }));
    }

    [Fact]
    public void QidoPagesWithLimitAndOffset()
    {
        var pacs = _orthanc.Pacs;
        var all = pacs.FindStudies(new DicomQuery(), CancellationToken.None).Select(s => s.StudyInstanceUid).ToList();
        var pages = Enumerable.Range(0, 3)
            .Select(i => Assert.Single(pacs.FindStudies(new DicomQuery { Limit = 1, Offset = i }, CancellationToken.None)).StudyInstanceUid).ToList();
        Assert.Equal(all.Order(), pages.Order());
        Assert.Equal(2, pacs.FindStudies(new DicomQuery { Limit = 2 }, CancellationToken.None).Count);
    }

    [Fact]
    public void QidoFindsSeriesAcrossStudiesAndInOne()
    {
        var pacs = _orthanc.Pacs;
        var all = pacs.FindSeries(new DicomQuery { Modality = "CT" }, CancellationToken.None);
        Assert.Equal(3, all.Count);
        var (study, series) = OrthancFixture.Uids(OrthancFixture.SeriesFolders[2]);
        var one = Assert.Single(pacs.FindSeries(new DicomQuery { StudyInstanceUid = study }, CancellationToken.None));
        Assert.Equal(series, one.SeriesInstanceUid);
        Assert.Equal(study, one.StudyInstanceUid);
        Assert.Equal("CT", one.Modality);
        Assert.Equal(40, one.NumberOfInstances);
        Assert.Equal("PHANTOM0001", one.PatientId);
        Assert.Equal(1, one.SeriesNumber);
        Assert.StartsWith("Phantom", one.SeriesDescription);
        Assert.Equal(new DateOnly(2024, 5, 1), one.StudyDate);
        Assert.Single(pacs.FindSeries(new DicomQuery { PatientId = "PH1101", StudyDate = DicomDateRange.Parse("20240315") }, CancellationToken.None));
    }

    [Fact]
    public void AWrongPasswordIsAnUnauthorizedErrorWithoutThePassword()
    {
        const string wrong = "wrong-password-31337";
        using var pacs = _orthanc.Server.Connect("wrong", wrong);
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.FindStudies(new DicomQuery(), CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebUnauthorized, ex.ErrorId);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.DoesNotContain(OrthancServer.Password, ex.ToString());
        using var temp = new TempDirectory();
        var (study, series) = OrthancFixture.Uids(OrthancFixture.SeriesFolders[2]);
        var receive = Assert.Throws<MdaiClaraException>(() => pacs.ReceiveSeries(study, series, temp.Combine("in"), null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebUnauthorized, receive.ErrorId);
        var store = Assert.Throws<MdaiClaraException>(() => pacs.Store([Directory.GetFiles(OrthancFixture.SeriesFolders[2])[0]], null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebUnauthorized, store.ErrorId);
    }

    [Fact]
    public void AnUnknownSeriesIsNotFound()
    {
        using var temp = new TempDirectory();
        var ex = Assert.Throws<MdaiClaraException>(() => _orthanc.Pacs.ReceiveSeries("1.2.3", "1.2.3.4", temp.Combine("in"), null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebNotFound, ex.ErrorId);
        Assert.Contains("1.2.3.4", ex.Message);
        Assert.Empty(_orthanc.Pacs.FindStudies(new DicomQuery { StudyInstanceUid = "1.2.3" }, CancellationToken.None));
    }

    [Fact]
    public void CancellingBetweenInstancesLeavesOnlyWholeFiles()
    {
        var folder = OrthancFixture.SeriesFolders[2];
        var (study, series) = OrthancFixture.Uids(folder);
        using var temp = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var progress = new Collect<DicomInstanceProgress>();
        var stopping = new StopAfter(3, cts);
        Assert.ThrowsAny<OperationCanceledException>(() => _orthanc.Pacs.ReceiveSeries(study, series, temp.Combine("in"), stopping, null, cts.Token));
        var left = Directory.GetFiles(temp.Combine("in"), "*", SearchOption.AllDirectories);
        Assert.Equal(3, left.Length);
        Assert.All(left, f => Assert.EndsWith(".dcm", f));
        var originals = OrthancFixture.BySopInstanceUid(folder);
        Assert.All(left, f => Assert.Equal(File.ReadAllBytes(originals[Path.GetFileNameWithoutExtension(f)]), File.ReadAllBytes(f)));
    }

    private sealed class StopAfter(int count, CancellationTokenSource cts) : IProgress<DicomInstanceProgress>
    {
        public void Report(DicomInstanceProgress value)
        {
            if (value.Done >= count)
            {
                cts.Cancel();
            }
        }
    }
}
