using System.Security.Cryptography.X509Certificates;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// The certificates a TLS association uses, loaded from <see cref="DimseTlsOptions"/> before connecting: the CA (or
/// server certificate) to trust, when given, and our client certificate for mutual TLS, when given.
/// </summary>
internal sealed record DimseTlsCredentials(X509Certificate2Collection? Trusted, X509Certificate2? Client);
