using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Seg;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Tests.Imaging.Seg;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// C-STORE SCU against DCMTK's storescp (what it wrote is read back by dcmdump and by our reader: pixel data byte for
/// byte), against Orthanc (checked through its REST API), and against peers that refuse a context or a syntax.
/// </summary>
public sealed class DimseStoreTests
{
    private static string Series(string name) => DicomSegTestData.Folder(name);

    private static string[] Files(string name) => Directory.GetFiles(Series(name)).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    private static IReadOnlyList<DicomStoreResult> Store(DimseEndpoint endpoint, IReadOnlyList<string> files) =>
        new DimseConnection("scu", endpoint).Store(files, null, null, CancellationToken.None);

    [Theory]
    [InlineData("dicom/golden_series/dcm_ct_s16/dicom", "1.2.840.10008.1.2.1", false)]
    [InlineData("dicom/golden_series/dcm_ct_u12/dicom", "1.2.840.10008.1.2", true)]
    [InlineData("dicom/series/big_endian_ow_8bit", "1.2.840.10008.1.2.2", true)]
    public void StorescpStoresEveryInstanceWithItsPixelDataUnchanged(string series, string sourceSyntax, bool reencoded)
    {
        var files = Files(series);
        Assert.Equal(sourceSyntax, DicomFileReader.Read(files[0]).TransferSyntax.Uid);
        using var scp = new StorescpPeer([]);
        var results = Store(scp.Endpoint(), files);

        Assert.Equal(files, results.Select(r => r.Path));
        Assert.All(results, r => Assert.Equal(DicomStoreStatus.Stored, r.Status));
        Assert.All(results, r => Assert.Equal(reencoded ? "stored (re-encoded to Explicit VR Little Endian)" : null, r.Reason));
        var stored = scp.StoredFiles;
        Assert.Equal(files.Length, stored.Length);
        var dump = ToolPeer.Run("dcmdump", "dcmtk", ["-q", .. stored]);
        Assert.True(dump.ExitCode == 0, dump.All);
        AssertSameInstances(files, stored);
    }

    [Fact]
    public void AnImplicitOnlyPeerGetsReencodedInstancesAndTheSeg()
    {
        using var temp = new TempDirectory();
        var seg = WriteSeg(temp, "dicom/golden_series/dcm_ct_s16/dicom");
        var files = Files("dicom/golden_series/dcm_ct_s16/dicom").Take(5).Append(seg).ToArray();
        using var scp = new StorescpPeer(["+xi"]);
        var results = Store(scp.Endpoint(), files);

        Assert.All(results, r => Assert.Equal((DicomStoreStatus.Stored, "stored (re-encoded to Implicit VR Little Endian)"), (r.Status, r.Reason)));
        Assert.Equal(DicomInstanceHeader.SegmentationStorage, results[^1].SopClassUid);
        var stored = scp.StoredFiles;
        Assert.Equal(6, stored.Length);
        Assert.All(stored, f => Assert.Equal(TransferSyntax.ImplicitVRLittleEndian.Uid, DicomFileReader.Read(f).TransferSyntax.Uid));
        var dump = ToolPeer.Run("dcmdump", "dcmtk", ["-q", .. stored]);
        Assert.True(dump.ExitCode == 0, dump.All);
        AssertSameInstances(files, stored);
    }

    [Fact]
    public void ACompressedInstanceIsRefusedByAnUncompressedPeerAndStoredAsItIsByOneThatTakesIt()
    {
        using var temp = new TempDirectory();
        var plain = Files("dicom/golden_series/dcm_ct_s16/dicom")[0];
        var jpeg = temp.Combine("jpeg-lossless.dcm");
        var made = ToolPeer.Run("dcmcjpeg", "dcmtk", ["+e1", plain, jpeg]);
        Assert.True(made.ExitCode == 0, made.All);
        Assert.Equal(PixelCodec.JpegLossless, DicomFileReader.Read(jpeg).TransferSyntax.Codec);

        using (var scp = new StorescpPeer(["+xi"]))
        {
            var results = Store(scp.Endpoint(), [jpeg, plain]);
            Assert.Equal(DicomStoreStatus.Failed, results[0].Status);
            Assert.Contains("refused its presentation context", results[0].Reason);
            Assert.Contains("JPEG Lossless", results[0].Reason);
            Assert.Contains("TransferSyntaxesNotSupported", results[0].Reason);
            Assert.Contains("cannot be sent in another syntax", results[0].Reason);
            Assert.Contains("dcmdjpeg", results[0].Reason);
            Assert.Equal(DicomStoreStatus.Stored, results[1].Status);
            Assert.Single(scp.StoredFiles);
        }

        using (var scp = new StorescpPeer(["+xa"]))
        {
            var result = Assert.Single(Store(scp.Endpoint(), [jpeg]));
            Assert.Equal((DicomStoreStatus.Stored, null), (result.Status, result.Reason));
            var stored = Assert.Single(scp.StoredFiles);
            Assert.Equal(DicomFileReader.Read(jpeg).TransferSyntax.Uid, DicomFileReader.Read(stored).TransferSyntax.Uid);
            Assert.Equal(Tail(jpeg), Tail(stored));
        }
    }

    [Fact]
    public async Task OrthancStoresThePhantomAndASegOverCStore()
    {
        using var temp = new TempDirectory();
        var seg = WriteSeg(temp, "samples/phantom/dicom");
        var files = Files("samples/phantom/dicom").Append(seg).ToArray();
        using var orthanc = new OrthancServer();
        var results = Store(new DimseEndpoint("127.0.0.1", orthanc.DicomPort, "ORTHANC", "MDAICLARA", TimeSpan.FromSeconds(20)), files);
        Assert.All(results, r => Assert.Equal(DicomStoreStatus.Stored, r.Status));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"{OrthancServer.User}:{OrthancServer.Password}")));
        using var stats = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{orthanc.HttpPort}/statistics"));
        Assert.Equal(41, stats.RootElement.GetProperty("CountInstances").GetInt32());
        var segUid = DicomFileReader.Read(seg).Dataset.GetString(DicomTag.SopInstanceUid)!;
        using var lookup = JsonDocument.Parse(await (await http.PostAsync($"http://127.0.0.1:{orthanc.HttpPort}/tools/lookup", new StringContent(segUid))).Content.ReadAsStringAsync());
        var id = Assert.Single(lookup.RootElement.EnumerateArray()).GetProperty("ID").GetString();
        using var tags = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{orthanc.HttpPort}/instances/{id}/simplified-tags"));
        Assert.Equal("SEG", tags.RootElement.GetProperty("Modality").GetString());
        var back = await http.GetByteArrayAsync($"http://127.0.0.1:{orthanc.HttpPort}/instances/{id}/file");
        Assert.Equal(PixelBytes(seg), PixelBytes(WriteBytes(temp, "back.dcm", back)));
    }

    [Fact]
    public async Task FailureAndWarningStatusesAreNamedPerInstance()
    {
        var files = Files("dicom/golden_series/dcm_ct_s16/dicom").Take(4).ToArray();
        var statuses = new ushort[] { 0x0000, 0xA701, 0xB000, 0xC123 };
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            foreach (var status in statuses)
            {
                session.AnswerNext(Engine.Networking.Dimse.Messages.DimseCommandField.CStoreResponse, status);
            }

            session.ReleaseWhenAsked();
        });
        var results = Store(peer.Endpoint(), files);
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([DicomStoreStatus.Stored, DicomStoreStatus.Failed, DicomStoreStatus.Warning, DicomStoreStatus.Failed], results.Select(r => r.Status));
        Assert.Equal([null, 0xA701, 0xB000, 0xC123], results.Select(r => r.FailureReason));
        Assert.Equal("the PACS refused it: A701H failure: refused, out of resources", results[1].Reason);
        Assert.StartsWith("with a warning: B000H warning: coercion of data elements", results[2].Reason);
        Assert.Equal("the PACS refused it: C123H failure: cannot understand", results[3].Reason);
    }

    [Fact]
    public async Task DataSetsAreCutToThePeersMaximumPduAndArriveWhole()
    {
        var file = Files("dicom/golden_series/dcm_ct_s16/dicom")[0];
        var received = new List<byte[]>();
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept(maxPdu: 4096); // its PDU reader refuses anything longer: a protocol error there fails the test
            var request = session.AnswerNext(Engine.Networking.Dimse.Messages.DimseCommandField.CStoreResponse, 0);
            received.Add(request.DataSet!.Value.ToArray());
            session.ReleaseWhenAsked();
        });
        var result = Assert.Single(Store(peer.Endpoint(), [file]));
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DicomStoreStatus.Stored, result.Status);
        var bytes = File.ReadAllBytes(file);
        var offset = (int)DicomFileReader.Read(file).FileMeta.Max(e => e.ValueOffset + e.ValueLength);
        Assert.Equal(bytes[offset..], Assert.Single(received));
    }

    [Fact]
    public void FilesThatAreNotDicomAreNotSentAndTheOthersGo()
    {
        using var temp = new TempDirectory();
        var text = temp.Write("notes.txt", "not a DICOM file at all, just some text to send");
        var file = Files("dicom/golden_series/dcm_ct_s16/dicom")[0];
        using var scp = new StorescpPeer([]);
        var results = Store(scp.Endpoint(), [text, file]);
        Assert.Equal((DicomStoreStatus.NotSent, DicomStoreStatus.Stored), (results[0].Status, results[1].Status));
        Assert.Contains("not a DICOM file", results[0].Reason);
    }

    private static string WriteSeg(TempDirectory temp, string series)
    {
        var source = DicomSegTestData.Source(series);
        var path = temp.Combine("seg.dcm");
        DicomSegWriter.Write(DicomSegTestData.Labels(source), new DicomSegOptions { ClassNames = new Dictionary<int, string> { [1] = "liver", [3] = "tumour" } }, path, CancellationToken.None);
        return path;
    }

    private static string WriteBytes(TempDirectory temp, string name, byte[] bytes)
    {
        var path = temp.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Each original has a stored file with the same SOP Instance UID, the same text values and the same pixel samples.</summary>
    private static void AssertSameInstances(IEnumerable<string> originals, IEnumerable<string> stored)
    {
        var byUid = stored.ToDictionary(f => DicomFileReader.Read(f).Dataset.GetString(DicomTag.SopInstanceUid)!, f => f);
        foreach (var original in originals)
        {
            var a = DicomFileReader.Read(original);
            var b = DicomFileReader.Read(byUid[a.Dataset.GetString(DicomTag.SopInstanceUid)!]);
            foreach (var element in a.Dataset.Where(e => e.VR.IsString && e.Tag.Group != 0x0002))
            {
                Assert.Equal(a.Dataset.GetString(element.Tag), b.Dataset.GetString(element.Tag));
            }

            if (a.TransferSyntax.LittleEndian)
            {
                Assert.Equal(PixelBytes(original), PixelBytes(b.Path));
            }
            else
            {
                using var pa = DicomPixelData.Open(a);
                using var pb = DicomPixelData.Open(b);
                for (var f = 0; f < pa.NumberOfFrames; f++)
                {
                    Assert.Equal(pa.DecodeFrame(f), pb.DecodeFrame(f));
                }
            }
        }
    }

    private static byte[] PixelBytes(string path)
    {
        var file = DicomFileReader.Read(path);
        var pixels = file.PixelDataElement!;
        using var stream = File.OpenRead(path);
        stream.Position = pixels.ValueOffset;
        var bytes = new byte[pixels.ValueLength];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The encapsulated pixel data and everything after it.</summary>
    private static byte[] Tail(string path)
    {
        var file = DicomFileReader.Read(path);
        var bytes = File.ReadAllBytes(path);
        return bytes[(int)file.PixelDataElement!.ValueOffset..];
    }
}
