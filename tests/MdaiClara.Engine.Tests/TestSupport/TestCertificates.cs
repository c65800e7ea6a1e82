using System;
using System.IO;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// A throwaway PKI made by openssl in a temp folder for the DICOM TLS tests: a CA, a server certificate it issued
/// (made out to 127.0.0.1 and localhost), a client certificate it issued (PEM and a PKCS#12 with <see cref="ClientPassword"/>),
/// and an unrelated CA (a wrong trust anchor). Missing openssl fails the test with the package to install.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public const string ClientPassword = "tls-test-4417";
    private readonly TempDirectory _folder = new();

    public TestCertificates()
    {
        var extensions = _folder.Write("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Ca + ".key", "-out", Ca, "-days", "2", "-subj", "/CN=MdaiClara Test CA");
        Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", OtherCa + ".key", "-out", OtherCa, "-days", "2", "-subj", "/CN=Unrelated CA");
        Issue("server", "/CN=localhost", extensions);
        Issue("client", "/CN=MDAICLARA", null);
        Openssl("pkcs12", "-export", "-in", ClientPem, "-inkey", ClientKey, "-out", ClientP12, "-passout", "pass:" + ClientPassword);
        File.WriteAllText(ClientCombinedPem, File.ReadAllText(ClientPem) + File.ReadAllText(ClientKey));
    }

    public string Ca => _folder.Combine("ca.pem");

    public string OtherCa => _folder.Combine("other-ca.pem");

    public string ServerPem => _folder.Combine("server.pem");

    public string ServerKey => _folder.Combine("server.key");

    public string ClientPem => _folder.Combine("client.pem");

    public string ClientKey => _folder.Combine("client.key");

    public string ClientP12 => _folder.Combine("client.p12");

    /// <summary>The client certificate and its key in one PEM file.</summary>
    public string ClientCombinedPem => _folder.Combine("client-with-key.pem");

    public void Dispose() => _folder.Dispose();

    private void Issue(string name, string subject, string? extensions)
    {
        var key = _folder.Combine(name + ".key");
        var csr = _folder.Combine(name + ".csr");
        Openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", subject);
        string[] sign = ["x509", "-req", "-in", csr, "-CA", Ca, "-CAkey", Ca + ".key", "-CAcreateserial", "-out", _folder.Combine(name + ".pem"), "-days", "2"];
        Openssl(extensions is null ? sign : [.. sign, "-extfile", extensions]);
    }

    private static void Openssl(params string[] arguments)
    {
        var result = ToolPeer.Run("openssl", "openssl", arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {result.All}");
        }
    }
}
