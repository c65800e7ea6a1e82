using System;
using System.Management.Automation;
using System.Security;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.DicomWeb;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Defines a PACS reached over DICOMweb (QIDO-RS, WADO-RS, STOW-RS), usable by name in this session.</para>
/// <para type="description">Describes the server once: its DICOMweb service root, how to sign in (a user name and
/// password with -Credential, sent as HTTP Basic; or a bearer token with -BearerToken), whether to accept a self-signed
/// certificate, how long to wait, and how often to retry a transient failure (connection refused or reset, HTTP 429,
/// 502, 503, 504, with exponential backoff). The connection is registered under -Name (a connection of the same name is
/// replaced), so Find-DicomStudy, Find-DicomSeries, Receive-DicomSeries and Send-DicomInstance take -Connection
/// &lt;name&gt;. Nothing is sent until one of them runs. The password or token is kept as a SecureString and is never
/// shown, logged or put in an error message; the connection shows only the kind of credential and the user name.</para>
/// <example><code>New-DicomWebConnection -Uri $PacsUri -Credential $PacsCredential -Name pacs</code>
/// <para>Defines the PACS at $PacsUri (its DICOMweb root, such as https://pacs.example.org/dicom-web) with a user name and password from Get-Credential, as 'pacs'.</para></example>
/// <example><code>New-DicomWebConnection -Uri $PacsUri -Credential $PacsCredential -Name pacs -TimeoutSec 30 -RetryCount 2 | Format-List</code>
/// <para>Waits at most 30 s for each answer, retries a transient failure twice, and shows what was defined (the password is not shown).</para></example>
/// </summary>
[Cmdlet(VerbsCommon.New, "DicomWebConnection", DefaultParameterSetName = NoCredentialSet)]
[OutputType(typeof(DicomWebConnection))]
public sealed class NewDicomWebConnectionCommand : ClaraCmdlet
{
    private const string NoCredentialSet = "NoCredential";
    private const string CredentialSet = "Credential";
    private const string TokenSet = "BearerToken";

    /// <summary><para type="description">The DICOMweb service root, e.g. https://pacs.example.org/dicom-web (http or https; no user name or password in it).</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public Uri Uri { get; set; } = null!;

    /// <summary><para type="description">A user name and password (Get-Credential), sent as HTTP Basic authentication.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential Credential { get; set; } = null!;

    /// <summary><para type="description">A bearer token (OAuth 2 access token) as a SecureString, e.g. from Read-Host -AsSecureString or a secret store.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [ValidateNotNull]
    public SecureString BearerToken { get; set; } = null!;

    /// <summary><para type="description">Accept any server certificate (a test PACS with a self-signed certificate). Never for a production PACS.</para></summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary><para type="description">Seconds to wait for an answer, and for each read of a streamed answer (default 100).</para></summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 100;

    /// <summary><para type="description">How often a transient failure is retried, with doubling delays from 1 s (default 4; 0 never retries).</para></summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int RetryCount { get; set; } = 4;

    /// <summary><para type="description">The name the other commands use for it (default: the server's host name).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void EndProcessing()
    {
        var name = Name ?? Uri.Host;
        try
        {
            DicomCredential? credential = ParameterSetName switch
            {
                CredentialSet => DicomCredential.Basic(Credential.UserName, Credential.Password),
                TokenSet => DicomCredential.Bearer(BearerToken),
                _ => null,
            };
            var connection = new DicomWebConnection(new DicomWebOptions(Uri, name)
            {
                Credential = credential,
                SkipCertificateCheck = SkipCertificateCheck,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                MaxRetries = RetryCount,
            });
            if (SkipCertificateCheck && Uri.Scheme == Uri.UriSchemeHttps)
            {
                WriteWarning($"'{name}' accepts any certificate from {Uri.Host}: anyone between here and there could read what is sent.");
            }

            if (credential is not null && Uri.Scheme == Uri.UriSchemeHttp && !Uri.IsLoopback)
            {
                WriteWarning($"'{name}' sends its credentials unencrypted (http://) to {Uri.Host}; use https:// for a PACS that is not on this machine.");
            }

            DicomConnections.Register(connection);
            WriteObject(TypeNames.Tag(connection, TypeNames.DicomConnection));
        }
        catch (MdaiClaraException ex)
        {
            ThrowEngineError(ex);
        }
    }
}
