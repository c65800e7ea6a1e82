using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// The SCU once the association is up, against a scripted peer that misbehaves: it closes in the middle of a C-STORE,
/// never answers a C-ECHO, or sends a PDU with an impossible length. Each is the named error, in bounded time, and a
/// protocol error is answered with A-ABORT.
/// </summary>
public sealed class DimseScuFailureTests
{
    private static readonly string[] Files = Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "golden_series", "dcm_ct_s16", "dicom"))
        .Order(StringComparer.Ordinal).Take(3).ToArray();

    [Fact]
    public async Task APeerThatClosesDuringAStoreIsNamedAndTheCallStops()
    {
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            session.AnswerNext(DimseCommandField.CStoreResponse, 0);
            _ = session.Channel.Receive("reading the second C-STORE-RQ");
            session.Close();
        });
        var e = Assert.Throws<MdaiClaraException>(() => new DimseConnection("scu", peer.Endpoint()).Store(Files, null, null, CancellationToken.None));
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorIds.DimsePeerClosed, e.ErrorId);
        Assert.Contains("closed the connection while waiting for the C-STORE response", e.Message);
    }

    [Fact]
    public async Task APeerThatNeverAnswersTheEchoTimesOut()
    {
        var stop = new ManualResetEventSlim();
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            _ = session.Channel.Receive("reading the C-ECHO-RQ");
            stop.Wait(TimeSpan.FromSeconds(20));
        });
        var clock = Stopwatch.StartNew();
        var result = DimseVerification.Echo(peer.Endpoint(timeoutSeconds: 1), CancellationToken.None);
        stop.Set();
        Assert.Equal(ErrorIds.DimseTimeout, result.ErrorId);
        Assert.Equal("accepted, then failed", result.AssociationResult);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnImpossiblePduLengthIsAProtocolErrorAnsweredWithAbort()
    {
        IPdu? answer = null;
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            _ = session.Channel.Receive("reading the C-STORE-RQ");
            session.Pdus.WriteEncoded([0x04, 0x00, 0xFF, 0xFF, 0xFF, 0xF0], "sending an impossible P-DATA header");
            answer = session.Pdus.Read("waiting for the abort");
        });
        var e = Assert.Throws<MdaiClaraException>(() => new DimseConnection("scu", peer.Endpoint()).Store(Files[..1], null, null, CancellationToken.None));
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorIds.DimseProtocolError, e.ErrorId);
        Assert.Contains("declares 4294967280 bytes, more than the 262144 allowed", e.Message);
        Assert.IsType<AbortPdu>(answer);
    }
}
