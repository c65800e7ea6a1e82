using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// Wraps an association's TCP stream in TLS (client side): loads the certificates of <see cref="DimseTlsOptions"/>,
/// runs the handshake under the socket's timeouts, and turns every failure into <see cref="ErrorIds.DimseTlsFailed"/>
/// saying what was wrong (an untrusted or mismatched server certificate, a client certificate the peer wanted, a
/// certificate file that cannot be read).
/// </summary>
internal static class DimseTlsStream
{
    /// <summary>
    /// Loads the certificate files before anything goes on the network, so that a file that is not a certificate is
    /// named as such whether or not the peer is up.
    /// </summary>
    public static DimseTlsCredentials LoadCredentials(DimseEndpoint endpoint, DimseTlsOptions tls)
    {
        var peer = endpoint.ToString();
        return new DimseTlsCredentials(
            tls.TrustedCertificatePath is { } caPath ? LoadTrusted(caPath, peer) : null,
            tls.ClientCertificatePath is { } clientPath ? LoadClient(clientPath, tls, peer) : null);
    }

    public static Stream Authenticate(Stream network, DimseEndpoint endpoint, DimseTlsCredentials credentials)
    {
        var peer = endpoint.ToString();
        var trusted = credentials.Trusted;
        var client = credentials.Client;
        string? rejection = null;
        var ssl = new SslStream(network, leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            rejection = Validate(certificate as X509Certificate2 ?? (certificate is null ? null : new X509Certificate2(certificate)), errors, trusted);
            return rejection is null;
        });
        try
        {
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions
            {
                TargetHost = endpoint.Host,
                ClientCertificates = client is null ? null : [client],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            });
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            ssl.Dispose();
            var why = rejection is not null ? $"its certificate was refused: {rejection}"
                : client is null ? $"the TLS handshake failed ({Inner(e)}); if the peer requires a client certificate (mutual TLS), give ours"
                : $"the TLS handshake failed ({Inner(e)}); the peer may not trust our client certificate's issuer";
            throw new MdaiClaraException($"The DICOM peer {peer} could not be reached over TLS: {why}.", ErrorIds.DimseTlsFailed, ErrorKind.SecurityError, peer, e);
        }
    }

    /// <summary>Null when the server certificate is acceptable, else why not.</summary>
    private static string? Validate(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection? trusted)
    {
        if (certificate is null)
        {
            return "the server sent no certificate";
        }

        var subject = $"'{certificate.Subject}' issued by '{certificate.Issuer}'";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"{subject} is not made out to the host name we connected to; connect by a name (or IP address) the certificate lists";
        }

        if (trusted is null)
        {
            return errors == SslPolicyErrors.None ? null
                : $"{subject} is not trusted by this machine ({errors}); give the CA certificate that issued it as the trusted certificate";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
        {
            return null;
        }

        var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"{subject} does not chain to the trusted certificate ({status}); check that the trusted certificate is the CA that issued the server's";
    }

    private static X509Certificate2Collection LoadTrusted(string path, string peer)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(new X509Certificate2(File.ReadAllBytes(path)));
            }

            return collection.Count > 0 ? collection : throw new CryptographicException("it holds no certificate");
        }
        catch (CryptographicException e)
        {
            throw new MdaiClaraException($"The trusted certificate {path} for {peer} cannot be read: {e.Message.TrimEnd('.')}. Give a CA certificate as PEM or DER.",
                ErrorIds.DimseTlsFailed, ErrorKind.InvalidData, path, e);
        }
    }

    private static X509Certificate2 LoadClient(string path, DimseTlsOptions tls, string peer)
    {
        try
        {
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                var password = tls.ClientCertificatePassword is { } secure ? new NetworkCredential(string.Empty, secure).Password : null;
                return password is null ? X509Certificate2.CreateFromPemFile(path) : X509Certificate2.CreateFromEncryptedPemFile(path, password);
            }

            var pfxPassword = tls.ClientCertificatePassword is { } pfxSecure ? new NetworkCredential(string.Empty, pfxSecure).Password : null;
            var certificate = new X509Certificate2(File.ReadAllBytes(path), pfxPassword);
            return certificate.HasPrivateKey ? certificate
                : throw new CryptographicException("it holds no private key, which a client certificate needs");
        }
        catch (CryptographicException e)
        {
            throw new MdaiClaraException(
                $"The client certificate {path} for {peer} cannot be used: {e.Message.TrimEnd('.')}. Give a PKCS#12 (.p12/.pfx) file with its password, or a PEM file holding the certificate and its private key.",
                ErrorIds.DimseTlsFailed, ErrorKind.InvalidData, path, e);
        }
    }

    private static string Inner(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message.TrimEnd('.');
    }
}
