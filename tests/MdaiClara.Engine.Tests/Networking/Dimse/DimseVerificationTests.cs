using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>C-ECHO against real peers (Orthanc with DicomCheckCalledAet, DCMTK storescp) and against sockets that misbehave.</summary>
public sealed class DimseVerificationTests
{
    private static DimseEndpoint At(int port, string called, double seconds = 10) =>
        new("127.0.0.1", port, called, DimseEndpoint.DefaultCallingAE, TimeSpan.FromSeconds(seconds));

    [Fact]
    public void OrthancAnswersEchoToItsAeTitle()
    {
        using var orthanc = new OrthancServer();
        var result = DimseVerification.Echo(At(orthanc.DicomPort, "ORTHANC"), CancellationToken.None);
        Assert.True(result.Success, result.Message);
        Assert.Equal("accepted", result.AssociationResult);
        Assert.Equal((ushort)0, result.Status);
        Assert.NotNull(result.RoundTrip);
        Assert.Contains(result.PresentationContexts, pc => pc.IsAccepted && pc.Id == 1);
        Assert.False(string.IsNullOrEmpty(result.PeerImplementationClassUid));
    }

    [Fact]
    public void AnEchoToAnOrthancWithNagleOnTakesNoDelayedAckWait()
    {
        // Orthanc without TCP_NODELAY writes its response in two pieces and waits for our ACK of the first; without
        // TCP_QUICKACK before our reads, Linux delays that ACK and each C-ECHO took ~42 ms on loopback (0.2 ms with it).
        using var orthanc = new OrthancServer(tcpNoDelay: false);
        var times = Enumerable.Range(0, 9).Select(_ => DimseVerification.Echo(At(orthanc.DicomPort, "ORTHANC"), CancellationToken.None))
            .Select(r => r.Success ? r.RoundTrip!.Value.TotalMilliseconds : double.NaN).Order().ToList();
        Assert.DoesNotContain(double.NaN, times);
        Assert.True(times[4] < 20, $"median C-ECHO round trip {times[4]:0.0} ms (all: {string.Join(", ", times.Select(t => t.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))})");
    }

    [Fact]
    public void OrthancRejectsAWrongCalledAeWithTheReasonNamed()
    {
        using var orthanc = new OrthancServer();
        var result = DimseVerification.Echo(At(orthanc.DicomPort, "NOT-ORTHANC"), CancellationToken.None);
        Assert.False(result.Success);
        Assert.Equal(ErrorIds.DimseAssociationRejected, result.ErrorId);
        Assert.Contains("called AE title not recognized", result.AssociationResult);
        Assert.Contains("service-user", result.AssociationResult);
    }

    [Fact]
    public void DcmtkStorescpAnswersEcho()
    {
        if (!System.IO.File.Exists("/usr/bin/storescp"))
        {
            throw new InvalidOperationException("DCMTK's storescp is not installed: apt-get install -y dcmtk (build/Packages.psd1 lists it for the Test task).");
        }

        var port = OrthancServer.FreePort();
        using var scp = Process.Start(new ProcessStartInfo("storescp", $"--aetitle STORESCP {port}") { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("storescp did not start: apt-get install -y dcmtk");
        try
        {
            var result = Retry(() => DimseVerification.Echo(At(port, "STORESCP"), CancellationToken.None));
            Assert.True(result.Success, result.Message);
            Assert.StartsWith("1.2.276.0.7230010.3", result.PeerImplementationClassUid);
        }
        finally
        {
            scp.Kill();
        }
    }

    [Fact]
    public async Task APeerThatNeverAnswersTimesOut()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptTcpClientAsync();
        var clock = Stopwatch.StartNew();
        var result = DimseVerification.Echo(At(((IPEndPoint)listener.LocalEndpoint).Port, "SILENT", seconds: 1), CancellationToken.None);
        Assert.Equal(ErrorIds.DimseTimeout, result.ErrorId);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
        Assert.Equal("not established", result.AssociationResult);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task APeerThatClosesMidAssociationIsNamed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = Task.Run(() =>
        {
            using var client = listener.AcceptTcpClient();
            var buffer = new byte[64];
            _ = client.GetStream().Read(buffer); // the start of our A-ASSOCIATE-RQ, then close
        });
        var result = DimseVerification.Echo(At(((IPEndPoint)listener.LocalEndpoint).Port, "CLOSER"), CancellationToken.None);
        await peer;
        Assert.Equal(ErrorIds.DimsePeerClosed, result.ErrorId);
    }

    [Fact]
    public void AClosedPortIsUnreachable()
    {
        var result = DimseVerification.Echo(At(OrthancServer.FreePort(), "NOBODY"), CancellationToken.None);
        Assert.Equal(ErrorIds.DimseUnreachable, result.ErrorId);
        Assert.Contains("ConnectionRefused", result.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SEVENTEEN-CHARS-X")]
    [InlineData("BACK\\SLASH")]
    public void InvalidAeTitlesAreRefusedBeforeConnecting(string title)
    {
        var e = Assert.Throws<MdaiClaraException>(() => At(104, title));
        Assert.Equal(ErrorIds.DimseConnectionInvalid, e.ErrorId);
    }

    private static DimseEchoResult Retry(Func<DimseEchoResult> echo)
    {
        var result = echo();
        for (var i = 0; i < 50 && result.ErrorId == ErrorIds.DimseUnreachable; i++)
        {
            Thread.Sleep(100);
            result = echo();
        }

        return result;
    }
}
