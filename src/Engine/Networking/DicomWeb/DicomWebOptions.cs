using System;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// How to reach a DICOMweb server: its base URI (the service root, e.g. https://pacs/dicom-web), credentials,
/// certificate checking, the time to wait for an answer, and how transient failures are retried.
/// </summary>
public sealed record DicomWebOptions
{
    public DicomWebOptions(Uri baseUri, string name)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new MdaiClaraException($"'{baseUri}' is not an http:// or https:// address of a DICOMweb service root.",
                ErrorIds.DicomConnectionInvalid, ErrorKind.InvalidArgument, baseUri.OriginalString);
        }

        if (!string.IsNullOrEmpty(baseUri.UserInfo))
        {
            // Never echo the address: its user-info part may hold a password.
            throw new MdaiClaraException($"The DICOMweb address for '{name}' has a user name or password in it; give credentials separately so they are never shown or logged.",
                ErrorIds.DicomConnectionInvalid, ErrorKind.InvalidArgument, name);
        }

        if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
        {
            throw new MdaiClaraException($"'{baseUri}' has a query or fragment; give the DICOMweb service root only (e.g. https://pacs/dicom-web).",
                ErrorIds.DicomConnectionInvalid, ErrorKind.InvalidArgument, baseUri.OriginalString);
        }

        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        Name = name;
    }

    /// <summary>The service root, always ending in '/' so relative resource paths resolve under it.</summary>
    public Uri BaseUri { get; }

    public string Name { get; }

    public DicomCredential? Credential { get; init; }

    /// <summary>Accept any server certificate (a test PACS with a self-signed certificate).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>How long to wait for a server to answer a request, and for each read of a streamed answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a request that failed transiently (connection refused or reset, 429, 502, 503, 504).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first retry's delay; each next one doubles it (with jitter). A server's Retry-After up to 30 s wins.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many instances per STOW-RS request.</summary>
    public int StoreBatchInstances { get; init; } = 64;

    /// <summary>At most about this many bytes per STOW-RS request (one bigger instance still goes alone).</summary>
    public long StoreBatchBytes { get; init; } = 128L * 1024 * 1024;
}
