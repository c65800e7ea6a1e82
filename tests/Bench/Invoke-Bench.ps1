<#
.SYNOPSIS
    Benchmarks for the targets the issues set, each compared with a peer measured in the same run.
    build.ps1 -Task Bench runs it in a fresh pwsh against the staged module; results go to output/bench.
.NOTES
    Absolute times on shared 2-core machines are noise; read the ratios.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [int] $Repeat = 7
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$sample = Join-Path $PSScriptRoot '../../samples/clara_pt_phantom_ct_segmentation' | Resolve-Path | ForEach-Object Path

function Get-Median([double[]] $values) {
    $sorted = $values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Invoke-Fresh([string] $script) {
    # One fresh pwsh per sample, as a user's session starts; returns its last output line.
    $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "pwsh failed: $out" }
    @($out)[-1]
}

Write-Host "Benchmark: $Repeat fresh pwsh processes per measurement on $([Environment]::ProcessorCount) cores"

# 1. Import-Module (target <= 1 s, libtorch not loaded) vs the first use of libtorch that import defers.
$import = @(); $firstTorch = @(); $loadedAfterImport = @()
for ($i = 0; $i -lt $Repeat; $i++) {
    $line = Invoke-Fresh @"
`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModuleManifest'; `$import = `$sw.Elapsed.TotalMilliseconds
`$mapped = @(Get-Content /proc/`$PID/maps | Where-Object { `$_ -match 'libtorch_cpu' }).Count
`$sw.Restart(); `$null = Test-Mmar '$sample' -Deep; `$deep = `$sw.Elapsed.TotalMilliseconds
'{0};{1};{2}' -f `$import, `$deep, `$mapped
"@
    $parts = $line.Split(';')
    $import += [double] $parts[0]; $firstTorch += [double] $parts[1]; $loadedAfterImport += [int] $parts[2]
}

# 2. Get-Mmar on the sample (warm, in one process) vs reading the same config files with ConvertFrom-Json.
$line = Invoke-Fresh @"
Import-Module '$ModuleManifest'
`$null = Get-Mmar '$sample'
`$files = Get-ChildItem '$sample/config' -Filter *.json
`$g = foreach (`$i in 1..20) { `$sw = [Diagnostics.Stopwatch]::StartNew(); `$null = Get-Mmar '$sample'; `$sw.Elapsed.TotalMilliseconds }
`$t = foreach (`$i in 1..20) { `$sw = [Diagnostics.Stopwatch]::StartNew(); `$null = Test-Mmar '$sample'; `$sw.Elapsed.TotalMilliseconds }
`$j = foreach (`$i in 1..20) { `$sw = [Diagnostics.Stopwatch]::StartNew(); foreach (`$f in `$files) { `$null = Get-Content `$f.FullName -Raw | ConvertFrom-Json }; `$null = Get-FileHash '$sample/models/model.ts'; `$sw.Elapsed.TotalMilliseconds }
'{0};{1};{2}' -f ((`$g | Sort-Object)[10]), ((`$t | Sort-Object)[10]), ((`$j | Sort-Object)[10])
"@
$parts = $line.Split(';')
$getMmar = [double] $parts[0]; $testMmar = [double] $parts[1]; $jsonPeer = [double] $parts[2]

$threads = Invoke-Fresh "Import-Module '$ModuleManifest'; `$null = Test-Mmar '$sample' -Deep; [TorchSharp.torch]::get_num_threads()"

$result = [ordered]@{
    date                         = (Get-Date).ToString('o')
    machine                      = "$([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"
    repeat                       = $Repeat
    import_ms_median             = [math]::Round((Get-Median $import), 1)
    import_target_ms             = 1000
    libtorch_mapped_after_import = ($loadedAfterImport | Measure-Object -Maximum).Maximum
    first_deep_test_ms_median    = [math]::Round((Get-Median $firstTorch), 1)
    import_over_first_torch_use  = [math]::Round((Get-Median $import) / (Get-Median $firstTorch), 3)
    get_mmar_ms_median           = [math]::Round($getMmar, 2)
    test_mmar_ms_median          = [math]::Round($testMmar, 2)
    peer_convertfrom_json_and_hash_ms_median = [math]::Round($jsonPeer, 2)
    get_mmar_over_peer           = [math]::Round($getMmar / $jsonPeer, 2)
    torch_threads                = [int] $threads
}

$file = Join-Path $OutputDirectory ("bench-{0:yyyyMMdd-HHmmss}.json" -f (Get-Date))
$result | ConvertTo-Json | Set-Content -LiteralPath $file
Write-Host ''
[pscustomobject] $result | Format-List | Out-Host
Write-Host "Written to $file"
$importOk = $result.import_ms_median -le $result.import_target_ms -and $result.libtorch_mapped_after_import -eq 0
Write-Host ("Import target (<= {0} ms, libtorch not loaded): {1}" -f $result.import_target_ms, $(if ($importOk) { 'met' } else { 'MISSED' }))
if (-not $importOk) { exit 1 }
