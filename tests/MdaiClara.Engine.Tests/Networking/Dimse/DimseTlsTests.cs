using System;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// DICOM TLS against DCMTK's storescp with +tls (which requires a client certificate by default): certificates made by
/// openssl per test class; C-ECHO and C-STORE over mutual TLS, and the refusals named (an untrusted server, no client
/// certificate, a certificate file that is not one).
/// </summary>
public sealed class DimseTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = new();
    private readonly StorescpPeer _scp;

    public DimseTlsTests()
    {
        _scp = new StorescpPeer(["+tls", _certificates.ServerKey, _certificates.ServerPem, "-pw", "+cf", _certificates.Ca], waitForEcho: false);
        Thread.Sleep(300);
    }

    private DimseEndpoint Endpoint(DimseTlsOptions tls) => _scp.Endpoint(10) with { Tls = tls };

    [Fact]
    public void EchoAndStoreWorkOverMutualTls()
    {
        var tls = new DimseTlsOptions(_certificates.Ca, _certificates.ClientP12, OrthancServer.Secure(TestCertificates.ClientPassword));
        var echo = Retry(() => DimseVerification.Echo(Endpoint(tls), CancellationToken.None));
        Assert.True(echo.Success, echo.Message);

        var files = Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "golden_series", "dcm_ct_s16", "dicom")).Order(StringComparer.Ordinal).Take(3).ToArray();
        var results = new DimseConnection("tls", Endpoint(tls)).Store(files, null, null, CancellationToken.None);
        Assert.All(results, r => Assert.Equal(DicomStoreStatus.Stored, r.Status));
        Assert.Equal(3, _scp.StoredFiles.Length);
    }

    [Fact]
    public void AClientCertificateInOnePemFileWorksToo()
    {
        var echo = Retry(() => DimseVerification.Echo(Endpoint(new DimseTlsOptions(_certificates.Ca, _certificates.ClientCombinedPem, null)), CancellationToken.None));
        Assert.True(echo.Success, echo.Message);
    }

    [Fact]
    public void AServerCertificateFromAnotherCaIsRefusedWithTheReason()
    {
        var echo = Retry(() => DimseVerification.Echo(Endpoint(new DimseTlsOptions(_certificates.OtherCa, _certificates.ClientP12, OrthancServer.Secure(TestCertificates.ClientPassword))), CancellationToken.None));
        Assert.False(echo.Success);
        Assert.Equal(ErrorIds.DimseTlsFailed, echo.ErrorId);
        Assert.Contains("'CN=localhost' issued by 'CN=MdaiClara Test CA' does not chain to the trusted certificate", echo.Message);

        var e = Assert.Throws<MdaiClaraException>(() => new DimseConnection("tls", Endpoint(new DimseTlsOptions(_certificates.OtherCa, null, null)))
            .Store([Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "golden_series", "dcm_ct_s16", "dicom"))[0]], null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.DimseTlsFailed, e.ErrorId);
        Assert.Empty(_scp.StoredFiles);
    }

    [Fact]
    public void APeerThatRequiresAClientCertificateSaysSo()
    {
        var echo = Retry(() => DimseVerification.Echo(Endpoint(new DimseTlsOptions(_certificates.Ca, null, null)), CancellationToken.None));
        Assert.False(echo.Success);
        Assert.Equal(ErrorIds.DimseTlsFailed, echo.ErrorId);
        Assert.Contains("client certificate", echo.Message);
    }

    [Fact]
    public void AFileThatIsNotACertificateIsNamed()
    {
        using var temp = new TempDirectory();
        var bogus = temp.Write("not-a-cert.pem", "hello");
        var echo = DimseVerification.Echo(Endpoint(new DimseTlsOptions(bogus, null, null)), CancellationToken.None);
        Assert.Equal(ErrorIds.DimseTlsFailed, echo.ErrorId);
        Assert.Contains("not-a-cert.pem", echo.Message);
        Assert.Throws<MdaiClaraException>(() => new DimseTlsOptions(temp.Combine("missing.pem"), null, null));
    }

    public void Dispose()
    {
        _scp.Dispose();
        _certificates.Dispose();
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
