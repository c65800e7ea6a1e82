using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Writing;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Networking.Dimse.Scp;
using MdaiClara.Engine.Networking.Dimse.Storage;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// Our storage SCP against DCMTK (echoscu, storescu, dcmdump) and against raw sockets that misbehave: a wrong called
/// AE, a peer that closes mid-transfer, one that never speaks, a PDU of an impossible length, one association too many.
/// After each misbehaving peer the acceptor still answers a C-ECHO.
/// </summary>
public sealed class DimseAcceptorTests : IDisposable
{
    private static readonly string Phantom = Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom");
    private readonly TempDirectory _temp = new();
    private readonly CollectingLog _log = new();
    private readonly BlockingCollection<DimseAssociationSummary> _ended = new();
    private readonly DimseAcceptor _acceptor;

    public DimseAcceptorTests() : this(new DimseAcceptorOptions("MDAICLARA", 0) { BindAddress = IPAddress.Loopback, Timeout = TimeSpan.FromSeconds(1), MaxAssociations = 2 })
    {
    }

    private DimseAcceptorTests(DimseAcceptorOptions options)
    {
        _acceptor = DimseAcceptor.Start(options, DimseStoreTarget.SeriesFolders(_temp.Combine("incoming")), _log);
        _acceptor.AssociationEnded += _ended.Add;
    }

    public void Dispose()
    {
        _acceptor.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void EchoscuIsAnswered()
    {
        var run = ToolPeer.Run("echoscu", "dcmtk", "-aec", "MDAICLARA", "127.0.0.1", Port);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Equal(DimseAssociationEnd.Released, Next().End);
    }

    [Fact]
    public void OurOwnEchoSeesOurImplementationAndContexts()
    {
        var result = DimseVerification.Echo(At("MDAICLARA"), CancellationToken.None);
        Assert.True(result.Success, result.Message);
        Assert.Equal(DicomImplementation.ClassUid, result.PeerImplementationClassUid);
        Assert.Equal(DicomImplementation.VersionName, result.PeerImplementationVersionName);
        Assert.Equal(DimseLimits.DefaultMaxPduLength, result.PeerMaxPduLength);
    }

    [Fact]
    public void StorescuStoresASeriesThatDcmdumpReadsWithTheSameDataSetBytes()
    {
        var originals = Directory.GetFiles(Phantom);
        var run = ToolPeer.Run("storescu", "dcmtk", "-aec", "MDAICLARA", "-aet", "STORESCU", "+sd", "127.0.0.1", Port, Phantom);
        Assert.True(run.ExitCode == 0, run.All);
        var summary = Next();
        Assert.Equal(DimseAssociationEnd.Released, summary.End);
        Assert.Equal("STORESCU", summary.CallingAE);
        Assert.Equal(originals.Length, summary.Stored.Count);
        Assert.Equal(0, summary.Failed);

        var series = DicomFileReader.Read(originals[0]).Dataset.GetString(DicomTag.SeriesInstanceUid)!;
        var folder = _temp.Combine("incoming", series);
        var stored = Directory.GetFiles(folder);
        Assert.Equal(originals.Length, stored.Length);
        Assert.Empty(Directory.GetFiles(_temp.Combine("incoming"), ".*", SearchOption.AllDirectories));
        foreach (var original in originals)
        {
            var uid = DicomFileReader.Read(original).Dataset.GetString(DicomTag.SopInstanceUid)!;
            var copy = Path.Combine(folder, uid + ".dcm");
            Assert.Equal(DataSetBytes(original), DataSetBytes(copy));
            var meta = DicomFileReader.Read(copy).FileMeta;
            Assert.Equal("STORESCU", meta.GetString(new DicomTag(0x0002, 0x0016))?.Trim());
            Assert.Equal(DicomImplementation.ClassUid, meta.GetString(new DicomTag(0x0002, 0x0012))?.Trim('\0'));
        }

        var dump = ToolPeer.Run("dcmdump", "dcmtk", "-q", stored[0]);
        Assert.True(dump.ExitCode == 0, dump.All);
        Assert.Contains("(0002,0010) UI", dump.StandardOutput);
        Assert.Contains("(7fe0,0010)", dump.StandardOutput);
    }

    [Fact]
    public void AWrongCalledAeIsRejectedWithTheReason()
    {
        var result = DimseVerification.Echo(At("NOT-US"), CancellationToken.None);
        Assert.Equal(ErrorIds.DimseAssociationRejected, result.ErrorId);
        Assert.Contains("rejected-permanent by the DICOM UL service-user: called AE title not recognized", result.AssociationResult);
        var summary = Next();
        Assert.Equal(DimseAssociationEnd.Rejected, summary.End);
        Assert.Contains("'NOT-US'", summary.Reason);
        var run = ToolPeer.Run("echoscu", "dcmtk", "-aec", "WRONG", "127.0.0.1", Port);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", run.All, StringComparison.OrdinalIgnoreCase);
        StillServes();
    }

    [Fact]
    public void APeerThatClosesMidTransferLeavesNoPartialFile()
    {
        using (var peer = Associate())
        {
            var command = new DimseCommand()
                .SetString(DimseCommandTags.AffectedSopClassUid, "1.2.840.10008.5.1.4.1.1.2", isUid: true)
                .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CStoreRequest)
                .SetUInt16(DimseCommandTags.MessageId, 1)
                .SetUInt16(DimseCommandTags.Priority, 0)
                .SetUInt16(DimseCommandTags.CommandDataSetType, 0)
                .SetString(DimseCommandTags.AffectedSopInstanceUid, "1.2.3.4", isUid: true);
            Send(peer, new DataTransferPdu([new PresentationDataValue(3, true, true, command.Encode())]));
            Send(peer, new DataTransferPdu([new PresentationDataValue(3, false, false, new byte[1000])]));
            Thread.Sleep(100);
        }

        var summary = Next();
        Assert.Equal(DimseAssociationEnd.ConnectionLost, summary.End);
        Assert.Empty(Directory.GetFiles(_temp.Combine("incoming"), "*", SearchOption.AllDirectories));
        StillServes();
    }

    [Fact]
    public void APeerThatNeverSpeaksIsDroppedAfterTheTimeout()
    {
        using var silent = new TcpClient();
        silent.Connect(IPAddress.Loopback, _acceptor.Port);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = Next();
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.8, 4);
        Assert.Equal(DimseAssociationEnd.Aborted, summary.End);
        Assert.Contains("sent nothing for 1 s", summary.Reason);
        StillServes();
    }

    [Fact]
    public void APduOfAnImpossibleLengthIsAbortedWithTheReasonLogged()
    {
        using var peer = Associate();
        var header = new byte[6];
        header[0] = 0x04;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), 0xFFFFFFF0);
        peer.GetStream().Write(header);
        var answer = new PduStream(peer.GetStream(), "acceptor", TimeSpan.FromSeconds(5)).Read("waiting for the abort");
        Assert.Equal(new AbortPdu(AbortPdu.ServiceProvider, 0), answer);
        var summary = Next();
        Assert.Equal(DimseAssociationEnd.Aborted, summary.End);
        Assert.Contains("declares 4294967280 bytes", summary.Reason);
        Assert.Contains(_log.Messages, m => m.Message.Contains("aborted by this receiver") && m.Message.Contains("declares 4294967280 bytes"));
        StillServes();
    }

    [Fact]
    public void OneAssociationBeyondTheBoundIsRejectedAsLocalLimitExceeded()
    {
        using var first = Associate();
        using var second = Associate();
        var result = DimseVerification.Echo(At("MDAICLARA"), CancellationToken.None);
        Assert.Equal(ErrorIds.DimseAssociationRejected, result.ErrorId);
        Assert.Contains("rejected-transient", result.AssociationResult);
        Assert.Contains("local limit exceeded", result.AssociationResult);
    }

    [Fact]
    public void AContextForANonStorageClassIsRefusedAndTheRestAccepted()
    {
        var request = Request(new PresentationContext(1, "1.2.840.10008.5.1.4.1.2.2.1", [TransferSyntax.ImplicitVRLittleEndian.Uid]),
            new PresentationContext(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.4.50", TransferSyntax.ExplicitVRLittleEndian.Uid]),
            new PresentationContext(5, "1.2.840.10008.5.1.4.1.1.4", ["9.9.9"]));
        var decision = AssociationNegotiation.Decide(request, _acceptor.Options, overLimit: false);
        var results = decision.Accept!.PresentationContexts;
        Assert.Equal(PresentationContextOutcome.AbstractSyntaxNotSupported, results[0].Outcome);
        Assert.Equal(PresentationContextOutcome.Acceptance, results[1].Outcome);
        Assert.Equal("1.2.840.10008.1.2.4.50", results[1].TransferSyntax);
        Assert.Equal(PresentationContextOutcome.TransferSyntaxesNotSupported, results[2].Outcome);
    }

    private string Port => _acceptor.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private DimseEndpoint At(string called) => new("127.0.0.1", _acceptor.Port, called, "OURSCU", TimeSpan.FromSeconds(5));

    private DimseAssociationSummary Next() =>
        _ended.TryTake(out var summary, TimeSpan.FromSeconds(10)) ? summary : throw new TimeoutException("No association ended within 10 s.");

    private void StillServes()
    {
        var result = DimseVerification.Echo(At("MDAICLARA"), CancellationToken.None);
        Assert.True(result.Success, result.Message);
    }

    private static AssociateRequest Request(params PresentationContext[] contexts) => new("MDAICLARA", "RAWPEER", AssociateRequest.DicomApplicationContext, contexts,
        new UserInformation(16384, "1.2.3", "RAW", []));

    /// <summary>A raw socket with an accepted association: CT storage on context 3.</summary>
    private TcpClient Associate()
    {
        var client = new TcpClient { NoDelay = true, ReceiveTimeout = 5000 };
        client.Connect(IPAddress.Loopback, _acceptor.Port);
        Send(client, Request(new PresentationContext(3, "1.2.840.10008.5.1.4.1.1.2", [TransferSyntax.ExplicitVRLittleEndian.Uid])));
        var answer = new PduStream(client.GetStream(), "acceptor", TimeSpan.FromSeconds(5)).Read("association answer");
        if (answer is not AssociateAccept)
        {
            client.Dispose();
            throw new InvalidOperationException($"Expected an A-ASSOCIATE-AC, got {answer}.");
        }

        return client;
    }

    private static void Send(TcpClient client, IPdu pdu) => client.GetStream().Write(PduEncoder.Encode(pdu));

    /// <summary>The bytes after the File Meta Information group.</summary>
    private static byte[] DataSetBytes(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        return bytes[(144 + (int)groupLength)..];
    }
}
