using System.IO;
using System.Security;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// DICOM TLS (PS3.15 B.1, the Secure Transport Connection Profile) for a DIMSE connection: the server's certificate is
/// validated against the machine's trust store, or against <see cref="TrustedCertificatePath"/> (a CA or the server's
/// own certificate, PEM or DER) when given, and its name against the host name; <see cref="ClientCertificatePath"/>
/// (PKCS#12 with its password, or PEM holding the certificate and its private key) authenticates us for mutual TLS.
/// The password is never shown.
/// </summary>
public sealed record DimseTlsOptions
{
    public DimseTlsOptions(string? trustedCertificatePath, string? clientCertificatePath, SecureString? clientCertificatePassword)
    {
        TrustedCertificatePath = Existing(trustedCertificatePath, "trusted (CA) certificate");
        ClientCertificatePath = Existing(clientCertificatePath, "client certificate");
        ClientCertificatePassword = clientCertificatePassword;
    }

    public string? TrustedCertificatePath { get; }

    public string? ClientCertificatePath { get; }

    public SecureString? ClientCertificatePassword { get; }

    /// <summary>"TLS", "TLS (trusting ca.pem)", "mutual TLS as client.p12 …": what a listing shows, without the password.</summary>
    public override string ToString() =>
        (ClientCertificatePath is { } client ? $"mutual TLS as {Path.GetFileName(client)}" : "TLS")
        + (TrustedCertificatePath is { } ca ? $", trusting {Path.GetFileName(ca)}" : ", trusting the system store");

    private static string? Existing(string? path, string what)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new MdaiClaraException($"The {what} file {full} does not exist.", ErrorIds.DimseConnectionInvalid, ErrorKind.ObjectNotFound, full);
    }
}
