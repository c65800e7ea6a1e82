using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Networking.Dimse.Retrieve;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// Series retrieval from a real Orthanc (OrthancFixture: the golden series and the phantom) over C-GET and over C-MOVE
/// to our own listener (registered in Orthanc as a modality with its loopback port): every instance arrives, its pixel
/// data and identity are the original's, progress counts up to the total, a second run keeps what is there, and
/// failures (unknown series, unknown move destination, cancellation) are named.
/// </summary>
public sealed class DimseRetrieveTests : IClassFixture<OrthancFixture>, IDisposable
{
    private readonly OrthancFixture _orthanc;
    private readonly DimseConnection _dimse;
    private readonly TempDirectory _temp = new();
    private readonly CollectingLog _log = new();

    public DimseRetrieveTests(OrthancFixture orthanc)
    {
        _orthanc = orthanc;
        _dimse = new DimseConnection("dimse", new DimseEndpoint("127.0.0.1", orthanc.Server.DicomPort, "ORTHANC", "MDAICLARA", TimeSpan.FromSeconds(10)));
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void CGetBringsEveryInstanceOfTheSeries(int which)
    {
        var source = OrthancFixture.SeriesFolders[which];
        var (study, series) = OrthancFixture.Uids(source);
        var progress = new ConcurrentQueue<DicomInstanceProgress>();
        var folder = _temp.Combine("get");
        var receipt = _dimse.ReceiveSeries(study, series, folder, new SyncProgress(progress.Enqueue), _log, CancellationToken.None);
        var originals = OrthancFixture.BySopInstanceUid(source);
        Assert.Equal(originals.Count, receipt.Instances);
        Assert.Equal(originals.Count, receipt.Received);
        Assert.Equal(0, receipt.Skipped);
        Assert.Equal(series, receipt.SeriesInstanceUid);
        AssertSameInstances(originals, folder);
        Assert.Equal(originals.Count, progress.Last().Done);
        Assert.Equal(originals.Count, progress.Last().Total);

        var again = _dimse.ReceiveSeries(study, series, folder, null, _log, CancellationToken.None);
        Assert.Equal(0, again.Received);
        Assert.Equal(originals.Count, again.Skipped);
        Assert.Equal(originals.Count, Directory.GetFiles(folder).Length);
    }

    [Fact]
    public void CGetOfASeriesThePeerDoesNotHaveSaysNothingWasSent()
    {
        var (study, _) = OrthancFixture.Uids(OrthancFixture.SeriesFolders[2]);
        var e = Assert.Throws<MdaiClaraException>(() => _dimse.ReceiveSeries(study, "1.2.3.4.5.6.7.8.9", _temp.Combine("none"), null, _log, CancellationToken.None));
        // Orthanc answers C000H (no sub-operations) rather than success with zero: either way the series is named.
        Assert.True(e.ErrorId is ErrorIds.DimseRetrieveFailed or ErrorIds.DimseSeriesNotFound, e.Message);
        Assert.Contains("check that the peer holds series 1.2.3.4.5.6.7.8.9", e.Message);
    }

    [Fact]
    public void CGetCancelledSendsCCancelAndKeepsOnlyWholeFiles()
    {
        var source = OrthancFixture.SeriesFolders[2];
        var (study, series) = OrthancFixture.Uids(source);
        using var cancel = new CancellationTokenSource();
        var folder = _temp.Combine("cancelled");
        var progress = new SyncProgress(p =>
        {
            if (p.Done == 3)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => _dimse.ReceiveSeries(study, series, folder, progress, _log, cancel.Token));
        Assert.Contains(_log.Messages, m => m.Message.Contains("C-CANCEL sent after 3 instance(s)"));
        var files = Directory.GetFiles(folder);
        Assert.InRange(files.Length, 3, 39);
        Assert.All(files, f => Assert.EndsWith(".dcm", f));
        Assert.All(files, f => DicomFileReader.Read(f));

        // The association ended cleanly: the same connection retrieves the rest.
        var rest = _dimse.ReceiveSeries(study, series, folder, null, _log, CancellationToken.None);
        Assert.Equal(40, rest.Instances);
        Assert.Equal(files.Length, rest.Skipped);
    }

    [Fact]
    public void CMoveToOurListenerBringsEveryInstance()
    {
        var source = OrthancFixture.SeriesFolders[2];
        var (study, series) = OrthancFixture.Uids(source);
        var port = OrthancServer.FreePort();
        _orthanc.Server.RegisterModality("movetest", "MOVEDEST", port);
        var folder = _temp.Combine("move");
        var progress = new ConcurrentQueue<DicomInstanceProgress>();
        var receipt = _dimse.ReceiveSeries(study, series, folder, new DimseMoveOptions("MOVEDEST", port) { BindAddress = IPAddress.Loopback },
            new SyncProgress(progress.Enqueue), _log, CancellationToken.None);
        var originals = OrthancFixture.BySopInstanceUid(source);
        Assert.Equal(originals.Count, receipt.Received);
        AssertSameInstances(originals, folder);
        Assert.Equal(originals.Count, progress.Max(p => p.Done));

        // The listener is gone with the call: the port is free again.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public void CMoveToADestinationThePeerDoesNotKnowIsNamed()
    {
        var (study, series) = OrthancFixture.Uids(OrthancFixture.SeriesFolders[2]);
        var e = Assert.Throws<MdaiClaraException>(() => _dimse.ReceiveSeries(study, series, _temp.Combine("unknown"),
            new DimseMoveOptions("NOBODYKNOWS", OrthancServer.FreePort()) { BindAddress = IPAddress.Loopback }, null, _log, CancellationToken.None));
        Assert.Equal(ErrorIds.DimseRetrieveFailed, e.ErrorId);
        // Orthanc answers C000H rather than A801H; the message names the destination to register either way.
        Assert.Contains("check that the peer knows the move destination AE title NOBODYKNOWS", e.Message);
    }

    [Fact]
    public void CMoveWhenThePeerSendsToAnotherPortSaysSo()
    {
        var (study, series) = OrthancFixture.Uids(OrthancFixture.SeriesFolders[1]);
        var port = OrthancServer.FreePort();
        _orthanc.Server.RegisterModality("elsewhere", "ELSEWHERE", OrthancServer.FreePort());
        var e = Assert.Throws<MdaiClaraException>(() => _dimse.ReceiveSeries(study, series, _temp.Combine("elsewhere"),
            new DimseMoveOptions("ELSEWHERE", port) { BindAddress = IPAddress.Loopback }, null, _log, CancellationToken.None));
        Assert.Equal(ErrorIds.DimseRetrieveFailed, e.ErrorId);
        Assert.Contains("C-MOVE of series " + series, e.Message);
    }

    private static void AssertSameInstances(System.Collections.Generic.Dictionary<string, string> originals, string folder)
    {
        Assert.Empty(Directory.GetFiles(folder, ".*"));
        foreach (var (uid, original) in originals)
        {
            var copy = Path.Combine(folder, uid + ".dcm");
            Assert.True(File.Exists(copy), $"{uid} was not retrieved");
            var a = DicomFileReader.Read(original);
            var b = DicomFileReader.Read(copy);
            Assert.Equal(a.Dataset.GetString(DicomTag.SeriesInstanceUid), b.Dataset.GetString(DicomTag.SeriesInstanceUid));
            Assert.Equal(a.Dataset.GetString(DicomTag.SopClassUid), b.Dataset.GetString(DicomTag.SopClassUid));
            Assert.Equal(PixelBytes(a), PixelBytes(b));
        }
    }

    private static byte[] PixelBytes(DicomFile file)
    {
        var element = file.PixelDataElement ?? throw new InvalidOperationException($"{file.Path} has no pixel data.");
        using var stream = File.OpenRead(file.Path);
        stream.Position = element.ValueOffset;
        var bytes = new byte[element.ValueLength];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Reports on the reporting thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<DicomInstanceProgress> report) : IProgress<DicomInstanceProgress>
    {
        public void Report(DicomInstanceProgress value) => report(value);
    }
}
