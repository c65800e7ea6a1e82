<#
.SYNOPSIS
    Poll a PACS for new series, run a Clara model on each, and store the segmentation back as a DICOM SEG: the loop a
    hospital runs so that results appear next to the study, with nothing but MdaiClara.

.DESCRIPTION
    Every -PollSeconds it asks the PACS for series of -Modality in studies from -StudyDate on, and for each
    series it has not finished before:
        Receive-DicomSeries (into <WorkPath>/in, resumable)
        Invoke-ClaraInference -OutputFormat DicomSeg (into <WorkPath>/out)
        Send-DicomInstance (the SEG, back to the same PACS)
    A series that fails (a transfer cut off, a model error, a SEG the PACS refuses) is reported as a warning and
    tried again at the next poll; one that succeeded is recorded in <WorkPath>/processed.txt and never run again, so
    the script can be stopped and restarted at any time. The transport is the connection's: a DICOMweb connection
    (-Uri, or New-DicomWebConnection) uses QIDO-RS, WADO-RS and STOW-RS; a DIMSE connection (New-DicomConnection)
    uses C-FIND, C-GET and C-STORE; nothing else in the script changes. -Once polls once and returns (for tests and schedulers).
    Each finished series gives one object: its UID, the SEG's file and SOP Instance UID, and the times.

.EXAMPLE
    $cred = Get-Credential
    ./samples/Invoke-PacsRunbook.ps1 -Uri https://pacs.example.org/dicom-web -Credential $cred `
        -Mmar ./clara_pt_spleen_ct_segmentation -WorkPath /var/lib/mdaiclara/pacs -StudyDate 20261201-
    Runs until stopped (Ctrl+C), polling every 60 s for new CT series from 1 December 2026 on.

.EXAMPLE
    New-DicomWebConnection -Uri http://localhost:8042/dicom-web -Credential $cred -Name orthanc
    ./samples/Invoke-PacsRunbook.ps1 -Connection orthanc -Mmar ./samples/clara_pt_phantom_ct_segmentation `
        -WorkPath ./pacs-work -StudyDate 20240101- -Once
    One pass against a local Orthanc with the sample model.
.EXAMPLE
    New-DicomConnection -HostName pacs.example.org -Port 104 -CalledAE PACS -CallingAE MDAICLARA -Name pacs-dimse
    ./samples/Invoke-PacsRunbook.ps1 -Connection pacs-dimse -Mmar ./clara_pt_spleen_ct_segmentation `
        -WorkPath /var/lib/mdaiclara/pacs -StudyDate 20261201-
    The same loop over classic DICOM networking (C-FIND, C-GET, C-STORE) for a PACS without DICOMweb; the PACS must
    know our AE title MDAICLARA (see the README's DIMSE set-up).
#>
[CmdletBinding(DefaultParameterSetName = 'Uri')]
param(
    # The PACS's DICOMweb service root (with -Credential or nothing), or...
    [Parameter(Mandatory, ParameterSetName = 'Uri')] [uri] $Uri,
    [Parameter(ParameterSetName = 'Uri')] [pscredential] $Credential,
    # ...a connection defined before with New-DicomWebConnection or New-DicomConnection (DIMSE) (its name or the object).
    [Parameter(Mandatory, ParameterSetName = 'Connection')] [object] $Connection,
    # The MMAR to run (folder or .zip).
    [Parameter(Mandatory)] [string] $Mmar,
    # Where series are received, SEGs written and the processed list kept.
    [Parameter(Mandatory)] [string] $WorkPath,
    [string] $Modality = 'CT',
    # A DICOM date range (YYYYMMDD-): default from today on.
    [string] $StudyDate = ((Get-Date).ToString('yyyyMMdd') + '-'),
    [ValidateRange(1, 86400)] [int] $PollSeconds = 60,
    [string] $Device = 'Auto',
    [switch] $Once
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module MdaiClara -ErrorAction SilentlyContinue
if (-not (Get-Command Find-DicomSeries -ErrorAction SilentlyContinue)) { throw 'Import-Module MdaiClara first.' }

if ($PSCmdlet.ParameterSetName -eq 'Uri') {
    $Connection = if ($Credential) { New-DicomWebConnection -Uri $Uri -Credential $Credential -Name runbook-pacs }
                  else { New-DicomWebConnection -Uri $Uri -Name runbook-pacs }
}
$model = Get-Mmar $Mmar
$inFolder = Join-Path $WorkPath 'in'
$outFolder = Join-Path $WorkPath 'out'
$processedFile = Join-Path $WorkPath 'processed.txt'
$null = New-Item -ItemType Directory -Path $WorkPath -Force
$processed = [Collections.Generic.HashSet[string]]::new([string[]] @(if (Test-Path $processedFile) { Get-Content $processedFile }))

while ($true) {
    $pending = @(Find-DicomSeries -Connection $Connection -Modality $Modality -StudyDate $StudyDate |
        Where-Object { -not $processed.Contains($_.SeriesInstanceUid) })
    Write-Verbose "$(Get-Date -Format s): $($pending.Count) new series."
    foreach ($series in $pending) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        try {
            $received = $series | Receive-DicomSeries -Path $inFolder
            $seg = $received | Invoke-ClaraInference -Mmar $model -OutputFormat DicomSeg -OutputPath $outFolder -Device $Device -Force
            $stored = @($seg | Send-DicomInstance -Connection $Connection)
            if ($stored.Count -ne 1) { throw "the PACS did not store the SEG of series $($series.SeriesInstanceUid)" }
            $null = $processed.Add($series.SeriesInstanceUid)
            Add-Content -LiteralPath $processedFile -Value $series.SeriesInstanceUid
            [pscustomobject]@{
                SeriesInstanceUid = $series.SeriesInstanceUid
                PatientId         = $series.PatientId
                Instances         = $received.Instances
                SegPath           = $seg.Path
                SegSopInstanceUid = $stored[0].SopInstanceUid
                Seconds           = [math]::Round($clock.Elapsed.TotalSeconds, 1)
            }
        } catch {
            Write-Warning "Series $($series.SeriesInstanceUid) failed, tried again at the next poll: $_"
        }
    }
    if ($Once) { break }
    Start-Sleep -Seconds $PollSeconds
}
