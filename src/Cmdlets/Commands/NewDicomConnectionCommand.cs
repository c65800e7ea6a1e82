using System;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Defines a PACS reached over classic DICOM networking (DIMSE on TCP), usable by name in this session.</para>
/// <para type="description">Describes the peer once: its host name and DICOM port, its AE title (-CalledAE, as the
/// PACS is configured), the AE title we call from (-CallingAE, default MDAICLARA; the PACS usually must know it, with
/// our host and port, in its list of modalities), and how long to wait for a connect or an answer. The connection is
/// registered under -Name (a connection of the same name is replaced). Nothing is sent until a command uses it;
/// Test-DicomConnection checks it with a C-ECHO; Find-DicomStudy and Find-DicomSeries search it with C-FIND. Retrievals
/// and stores over DIMSE are being added.</para>
/// <example><code>New-DicomConnection -HostName $PacsHost -Port $PacsPort -CalledAE ORTHANC -Name pacs-dimse</code>
/// <para>Defines the PACS whose DICOM port is $PacsHost:$PacsPort and whose AE title is ORTHANC, calling as MDAICLARA, as 'pacs-dimse'.</para></example>
/// <para type="description">With -Tls the associations run over DICOM TLS (usually port 2762): the PACS's certificate
/// must be trusted by this machine or issued by -TrustedCertificate, and be made out to -HostName; -ClientCertificate
/// (a .p12/.pfx file with -ClientCertificatePassword, or a PEM file with the certificate and its key) identifies us
/// when the PACS requires mutual TLS. A certificate problem is a DimseTlsFailed error saying what was refused.</para>
/// <example><code>New-DicomConnection -HostName $PacsHost -Port $PacsPort -CalledAE ORTHANC -CallingAE RUNBOOK01 -TimeoutSec 10 -Name pacs-dimse | Format-List</code>
/// <para>Calls as RUNBOOK01, waits at most 10 s for each connect and answer, and shows what was defined.</para></example>
/// <example><code>New-DicomConnection -HostName pacs.example.org -Port 2762 -CalledAE PACS -Tls -Name pacs-tls | Select-Object Name, Authentication</code>
/// <para>Defines a PACS reached over DICOM TLS whose certificate this machine trusts (nothing is sent yet). Add
/// -TrustedCertificate ./pacs-ca.pem for a PACS whose CA is private, and -ClientCertificate ./runbook.p12
/// -ClientCertificatePassword (Read-Host -AsSecureString) when it requires mutual TLS.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.New, "DicomConnection")]
[OutputType(typeof(DimseConnection))]
public sealed class NewDicomConnectionCommand : ClaraCmdlet
{
    /// <summary><para type="description">The PACS's host name or IP address.</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string HostName { get; set; } = null!;

    /// <summary><para type="description">The PACS's DICOM port (104 or 11112 on most systems).</para></summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary><para type="description">The PACS's AE title (up to 16 characters), as configured on the PACS.</para></summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string CalledAE { get; set; } = null!;

    /// <summary><para type="description">Our AE title (up to 16 characters; default MDAICLARA), as registered on the PACS.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string CallingAE { get; set; } = DimseEndpoint.DefaultCallingAE;

    /// <summary><para type="description">Seconds to wait for the connection, the association answer and each read (default 30).</para></summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary><para type="description">Use DICOM TLS (the PACS's TLS port, usually 2762).</para></summary>
    [Parameter]
    public SwitchParameter Tls { get; set; }

    /// <summary><para type="description">With -Tls: the CA certificate (PEM or DER) that issued the PACS's certificate, when the machine's trust store does not hold it.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TrustedCertificate { get; set; }

    /// <summary><para type="description">With -Tls: our client certificate for mutual TLS, a .p12/.pfx file (with -ClientCertificatePassword) or a PEM file holding the certificate and its private key.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientCertificate { get; set; }

    /// <summary><para type="description">The password of -ClientCertificate, if it has one.</para></summary>
    [Parameter]
    public System.Security.SecureString? ClientCertificatePassword { get; set; }

    /// <summary><para type="description">The name the other commands use for it (default: the host name).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            if (!Tls && (TrustedCertificate ?? ClientCertificate) is not null)
            {
                throw new MdaiClaraException("-TrustedCertificate and -ClientCertificate apply to a DICOM TLS connection; add -Tls.", ErrorIds.DimseConnectionInvalid, ErrorKind.InvalidArgument);
            }

            var tls = Tls ? new DimseTlsOptions(Resolve(TrustedCertificate), Resolve(ClientCertificate), ClientCertificatePassword) : null;
            var endpoint = new DimseEndpoint(HostName, Port, CalledAE, CallingAE, TimeSpan.FromSeconds(TimeoutSec)) { Tls = tls };
            var connection = new DimseConnection(Name ?? HostName, endpoint);
            DicomConnections.Register(connection);
            WriteObject(TypeNames.Tag(connection, TypeNames.DicomConnection));
        }
        catch (MdaiClaraException ex)
        {
            ThrowEngineError(ex);
        }
    }

    private string? Resolve(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);
}
