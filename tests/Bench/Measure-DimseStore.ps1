<#
.SYNOPSIS
    Bench section: C-STORE of a 512x512x300 CT series (the s16 series imaging_peer.py makes with pydicom, 150 MB, 300
    Explicit VR Little Endian files) to DCMTK's storescp on loopback, by Send-DicomInstance over a DIMSE connection and
    by DCMTK's storescu on the same files, alternating in one run so machine load hits both alike; both warm (one run
    each first), best of -Repeat runs each. storescp runs with --ignore (it receives every data set but writes
    nothing), so the time is the sender's and the wire's, not the receiver's disk. Returns a hashtable of results.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [int] $Repeat = 3
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$series = Join-Path $OutputDirectory 'ct512-s16'
& /usr/bin/python3 (Join-Path $PSScriptRoot 'imaging_peer.py') make $series s16
if ($LASTEXITCODE -ne 0) { throw 'Could not generate the benchmark CT series (needs python3-pydicom, python3-nibabel).' }
$files = @(Get-ChildItem $series -File)
if ($files.Count -ne 300) { throw "expected 300 files in $series, found $($files.Count)" }
$bytes = ($files | Measure-Object Length -Sum).Sum

$listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
$scp = Start-Process storescp -ArgumentList '--aetitle', 'STORESCP', '--ignore', $port -PassThru -RedirectStandardOutput (Join-Path $OutputDirectory 'storescp.out') -RedirectStandardError (Join-Path $OutputDirectory 'storescp.err')
try {
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $script = @"
`$ProgressPreference = 'SilentlyContinue'; `$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = New-DicomConnection -HostName 127.0.0.1 -Port $port -CalledAE STORESCP -Name bench-scp -TimeoutSec 30
foreach (`$i in 1..50) { if (Test-DicomConnection bench-scp) { break }; Start-Sleep -Milliseconds 100 }
function Invoke-Ours { `$r = @(Send-DicomInstance -Connection bench-scp -Path '$series'); if (@(`$r | Where-Object Status -ne 'Stored').Count -or `$r.Count -ne 300) { throw 'not every instance was stored' } }
function Invoke-Storescu { & storescu -aec STORESCP +sd 127.0.0.1 $port '$series' 2>&1 | Out-Null; if (`$LASTEXITCODE -ne 0) { throw "storescu failed with `$LASTEXITCODE" } }
foreach (`$f in Get-ChildItem '$series' -File) { `$null = [IO.File]::ReadAllBytes(`$f.FullName) }   # warm the page cache
Invoke-Ours; Invoke-Storescu   # warm
`$ours = [Collections.Generic.List[double]]::new(); `$peer = [Collections.Generic.List[double]]::new()
`$sw = [Diagnostics.Stopwatch]::new()
foreach (`$i in 1..$Repeat) {
    `$sw.Restart(); Invoke-Storescu; `$peer.Add(`$sw.Elapsed.TotalSeconds)
    `$sw.Restart(); Invoke-Ours; `$ours.Add(`$sw.Elapsed.TotalSeconds)
}
'{0};{1}' -f (`$ours | Measure-Object -Minimum).Minimum, (`$peer | Measure-Object -Minimum).Minimum
"@
    $line = & dotnet $pwshDll -NoProfile -NonInteractive -Command $script | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw "the C-STORE bench failed: $line" }
    $ours, $storescu = $line.Split(';') | ForEach-Object { [double] $_ }
} finally {
    Stop-Process -Id $scp.Id -ErrorAction SilentlyContinue
}

[ordered]@{
    dimse_store_series             = "512x512x300 s16 CT ($([math]::Round($bytes / 1MB, 1)) MB, 300 Explicit VR LE files) to DCMTK storescp --ignore on loopback"
    dimse_store_ours_seconds_best  = [math]::Round($ours, 3)
    dimse_store_storescu_seconds_best = [math]::Round($storescu, 3)
    dimse_store_storescu_over_ours = [math]::Round($storescu / $ours, 3)
    dimse_store_target             = 1
}
