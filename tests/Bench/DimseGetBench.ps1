<#
.SYNOPSIS
    Bench section: C-GET of a 512×512×300 CT series (300 instances, the s16 series Invoke-Bench.ps1 generated with
    pydicom) from a local Orthanc (its DICOM port on loopback, TCP_NODELAY=1, started by tests/Pester/Orthanc.ps1):
    Receive-DicomSeries over a DIMSE connection against DCMTK's getscu retrieving the same series into a folder; both
    warm (one run first), alternating in one fresh pwsh so machine load hits both alike, best of several runs each.
    Returns the numbers as an ordered hashtable for Invoke-Bench.ps1's result.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [Parameter(Mandatory)] [string] $Series,
    [int] $Repeat = 3
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../Pester/Orthanc.ps1')
foreach ($tool in 'getscu', 'storescu') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "DCMTK's $tool is not installed: apt-get install -y dcmtk (build/Packages.psd1 lists it)." }
}

$orthanc = Start-TestOrthanc -Folder (Join-Path $OutputDirectory 'orthanc-dimse')
try {
    # Load the series over DIMSE (storescu, as a modality would), then retrieve it both ways.
    $env:TCP_NODELAY = '1'
    & storescu -q -aet MDAICLARA -aec ORTHANC 127.0.0.1 $orthanc.DicomPort +sd $Series
    if ($LASTEXITCODE -ne 0) { throw "storescu could not load the bench series into Orthanc ($LASTEXITCODE)." }
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $script = @"
`$ProgressPreference = 'SilentlyContinue'
`$ErrorActionPreference = 'Stop'
`$env:TCP_NODELAY = '1'
Import-Module '$ModuleManifest'
`$null = New-DicomConnection -HostName 127.0.0.1 -Port $($orthanc.DicomPort) -CalledAE ORTHANC -Name bench -TimeoutSec 60
`$series = @(Find-DicomSeries -Connection bench -PatientID BENCH)
if (`$series.Count -ne 1) { throw "expected one series on the PACS, got `$(`$series.Count)" }
`$ours = Join-Path '$OutputDirectory' 'dimse-get-ours'
`$peerDir = Join-Path '$OutputDirectory' 'dimse-get-getscu'
`$keys = @('-k', 'QueryRetrieveLevel=SERIES', '-k', "StudyInstanceUID=`$(`$series[0].StudyInstanceUid)", '-k', "SeriesInstanceUID=`$(`$series[0].SeriesInstanceUid)")
function Invoke-Getscu {
    Remove-Item -Recurse -Force `$peerDir -ErrorAction SilentlyContinue; `$null = New-Item -ItemType Directory `$peerDir
    & getscu -q -S -aet MDAICLARA -aec ORTHANC @keys -od `$peerDir 127.0.0.1 $($orthanc.DicomPort)
    if (`$LASTEXITCODE -ne 0) { throw "getscu failed with `$LASTEXITCODE" }
}
function Invoke-Ours {
    Remove-Item -Recurse -Force `$ours -ErrorAction SilentlyContinue
    `$r = `$series | Receive-DicomSeries -Path `$ours
    if (`$r.Received -ne 300) { throw "received `$(`$r.Received) of 300" }
    `$r
}
Invoke-Getscu; `$null = Invoke-Ours   # warm
`$o = [Collections.Generic.List[double]]::new(); `$p = [Collections.Generic.List[double]]::new()
`$sw = [Diagnostics.Stopwatch]::StartNew()
foreach (`$i in 1..$Repeat) {
    `$sw.Restart(); Invoke-Getscu; `$p.Add(`$sw.Elapsed.TotalSeconds)
    `$sw.Restart(); `$r = Invoke-Ours; `$o.Add(`$sw.Elapsed.TotalSeconds)
}
`$peerCount = @(Get-ChildItem `$peerDir -File).Count
if (`$peerCount -ne 300) { throw "getscu wrote `$peerCount of 300 files" }
'{0};{1};{2}' -f (`$o | Measure-Object -Minimum).Minimum, (`$p | Measure-Object -Minimum).Minimum, `$r.BytesReceived
"@
    $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "The C-GET bench failed: $out" }
    $ours, $getscu, $bytes = @($out)[-1].Split(';') | ForEach-Object { [double] $_ }
} finally {
    Remove-Item Env:TCP_NODELAY -ErrorAction SilentlyContinue
    Stop-TestOrthanc $orthanc
}

[ordered]@{
    dimse_get_series             = "512x512x300 s16 CT ($([math]::Round($bytes / 1MB, 1)) MB, 300 instances) from a local Orthanc 1.10 over C-GET (loopback, TCP_NODELAY=1)"
    dimse_get_ours_seconds_best  = [math]::Round($ours, 3)
    dimse_get_getscu_seconds_best = [math]::Round($getscu, 3)
    dimse_get_getscu_over_ours   = [math]::Round($getscu / $ours, 3)
    dimse_get_target             = 1
}
