using System;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking;

/// <summary>A real Orthanc killed in the middle of a WADO-RS transfer, then started again on the same storage.</summary>
public sealed class OrthancInterruptionTests
{
    private const int Slices = 60;

    private sealed class KillAfterFirst(OrthancServer server) : IProgress<DicomInstanceProgress>
    {
        public int Seen { get; private set; }

        public void Report(DicomInstanceProgress value)
        {
            if (++Seen == 1)
            {
                server.Stop();
            }
        }
    }

    [Fact]
    public void AServerStoppedMidTransferIsAClearErrorWithNoPartialFile_AndTheRetrievalResumesAfterRestart()
    {
        using var temp = new TempDirectory();
        var series = temp.Combine("ct512");
        // 60 slices of 512x512x16 bit (30 MB): more than loopback socket buffers hold, so the kill cuts the stream.
        PythonPeer.Run(
            "import runpy, sys; peer, folder, n = sys.argv[1:4]; sys.argv = [peer, 'make', folder, 's16', n]; runpy.run_path(peer, run_name='__main__')",
            TimeSpan.FromMinutes(2), Path.Combine(TestPaths.RepoRoot, "tests", "Bench", "imaging_peer.py"), series, Slices.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var files = Directory.GetFiles(series);
        Assert.Equal(Slices, files.Length);
        var header = DicomFileReader.Read(files[0]).Dataset;
        var studyUid = header.GetString(DicomTag.StudyInstanceUid)!;
        var seriesUid = header.GetString(DicomTag.SeriesInstanceUid)!;

        using var server = new OrthancServer();
        using (var pacs = server.Connect())
        {
            Assert.All(pacs.Store(files, null, null, CancellationToken.None), r => Assert.Equal(DicomStoreStatus.Stored, r.Status));
        }

        var target = temp.Combine("in");
        using (var pacs = server.Connect(maxRetries: 1))
        {
            var killer = new KillAfterFirst(server);
            var ex = Assert.Throws<MdaiClaraException>(() => pacs.ReceiveSeries(studyUid, seriesUid, target, killer, null, CancellationToken.None, Slices));
            Assert.Equal(ErrorIds.DicomWebTransferInterrupted, ex.ErrorId);
            Assert.Contains($"of {Slices} instances", ex.Message);
            Assert.Contains("no partial file", ex.Message);
        }

        var originals = files.ToDictionary(f => DicomFileReader.Read(f).Dataset.GetString(DicomTag.SopInstanceUid)!, f => f);
        var kept = Directory.GetFiles(target, "*", SearchOption.AllDirectories);
        Assert.InRange(kept.Length, 1, Slices - 1);
        Assert.All(kept, f =>
        {
            Assert.EndsWith(".dcm", f);
            Assert.Equal(Path.GetFileNameWithoutExtension(f), DicomFileReader.Read(f).Dataset.GetString(DicomTag.SopInstanceUid));
            Assert.Equal(File.ReadAllBytes(originals[Path.GetFileNameWithoutExtension(f)]), File.ReadAllBytes(f));
        });

        server.Start();
        using (var pacs = server.Connect())
        {
            var receipt = pacs.ReceiveSeries(studyUid, seriesUid, target, null, null, CancellationToken.None);
            Assert.Equal(Slices, receipt.Instances);
            Assert.Equal(kept.Length, receipt.Skipped);
            Assert.Equal(Slices - kept.Length, receipt.Received);
        }

        var all = Directory.GetFiles(target);
        Assert.Equal(Slices, all.Length);
        Assert.All(all, f => Assert.True(File.ReadAllBytes(originals[Path.GetFileNameWithoutExtension(f)]).AsSpan().SequenceEqual(File.ReadAllBytes(f))));
    }
}
