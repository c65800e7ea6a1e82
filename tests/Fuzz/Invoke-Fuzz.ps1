#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs one coverage-guided AFL++ campaign on an engine parser (SharpFuzz harness), then minimises its corpus.
.DESCRIPTION
    1. Builds tests/Fuzz/MdaiClara.Fuzz into output/fuzz/bin and instruments MdaiClara.Engine.dll (and, for the
       Picture target, StbImageSharp.dll) with the sharpfuzz dotnet tool (.config/dotnet-tools.json).
    2. Seeds output/fuzz/<Target>/seeds from the committed corpus tests/fixtures/fuzz/<Target> and the fixtures the
       engine's own tests use (tests/fixtures/...).
    3. Runs afl-fuzz for -Minutes with the managed heap bounded (DOTNET_GCHeapHardLimit), so unbounded allocation
       shows up as an OutOfMemoryException, i.e. a crash; a run past -TimeoutMs is a hang.
    4. Replays every crash and hang through the harness and prints the outcome (output/fuzz/<Target>/triage.txt).
    5. With -UpdateCorpus, minimises the queue (afl-cmin, then a size cap) into tests/fixtures/fuzz/<Target>.
    The harness's contract: every input ends in success or a MdaiClaraException; anything else is a defect.
    Needs afl++ (Debian: apt-get install afl++) and `dotnet tool restore`.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Fuzz -FuzzTarget Dicom -Minutes 15
.EXAMPLE
    dotnet pwsh ./tests/Fuzz/Invoke-Fuzz.ps1 -Target Nifti -Minutes 15 -UpdateCorpus
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Dicom', 'Jpeg', 'Rle', 'Nifti', 'MmarConfig', 'MmarZip', 'Picture', 'MdaiOutput')]
    [string] $Target,

    [ValidateRange(1, 1440)]
    [int] $Minutes = 15,

    # A run longer than this is a hang (afl-fuzz -t).
    [ValidateRange(100, 60000)]
    [int] $TimeoutMs = 3000,

    # The managed heap limit of the harness (DOTNET_GCHeapHardLimit).
    [ValidateRange(64, 65536)]
    [int] $HeapLimitMB = 1024,

    # Minimise the queue into tests/fixtures/fuzz/<Target> afterwards (replacing what is there).
    [switch] $UpdateCorpus,

    # Largest corpus file kept and the corpus budget per target, in bytes.
    [int] $MaxCorpusFileBytes = 40KB,
    [int] $MaxCorpusBytes = 256KB,

    # Count the defects listed in Targets/KnownDefects.cs instead of stopping on them (their fixes are pending).
    [switch] $SkipKnownDefects,

    # Use the harness already built and instrumented in -BuildFolder.
    [switch] $NoBuild,

    # Where the harness is built and instrumented (a second folder lets a rebuilt harness run beside live campaigns).
    [string] $BuildFolder
)

$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false
Set-StrictMode -Version Latest

$Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$Fixtures = Join-Path $Root 'tests/fixtures'
$FuzzOut = Join-Path $Root 'output/fuzz'
$Bin = if ($BuildFolder) { [System.IO.Path]::GetFullPath($BuildFolder) } else { Join-Path $FuzzOut 'bin' }
$Work = Join-Path $FuzzOut $Target
$Corpus = Join-Path $Fixtures "fuzz/$Target"

function Invoke-Native {
    $program, $arguments = $args
    & $program @arguments
    if ($LASTEXITCODE -ne 0) { throw "$program $($arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

foreach ($tool in 'afl-fuzz', 'afl-cmin') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) {
        throw "'$tool' is not on PATH. Install AFL++: apt-get install -y afl++"
    }
}

function Build-Harness {
    Invoke-Native dotnet build (Join-Path $Root 'tests/Fuzz/MdaiClara.Fuzz/MdaiClara.Fuzz.csproj') -c Release -o $Bin --nologo -v quiet | Out-Host
    Invoke-Native dotnet tool restore | Out-Null
    foreach ($dll in 'MdaiClara.Engine.dll', 'StbImageSharp.dll') {
        # sharpfuzz rewrites the file in place; a stamp of the instrumented file's hash keeps it from running twice.
        $path = Join-Path $Bin $dll
        $stamp = "$path.instrumented"
        $hash = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash
        if ((Test-Path -LiteralPath $stamp) -and (Get-Content -LiteralPath $stamp -Raw).Trim() -eq $hash) { continue }
        # A build may hard-link a package's file from the NuGet cache: rewriting it in place would instrument every
        # project's copy. A private copy (a new file, not a link) is what gets instrumented.
        Copy-Item -LiteralPath $path -Destination "$path.private" -Force
        Move-Item -LiteralPath "$path.private" -Destination $path -Force
        Invoke-Native dotnet tool run sharpfuzz $path | Out-Host
        Set-Content -LiteralPath $stamp -Value (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash
    }
}

function Write-Seed([string] $Folder, [string] $Name, [byte[]] $Bytes) {
    [System.IO.File]::WriteAllBytes((Join-Path $Folder $Name), $Bytes)
}

function New-Seeds([string] $Folder) {
    if (Test-Path -LiteralPath $Folder) { Remove-Item -LiteralPath $Folder -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $Folder
    if (Test-Path -LiteralPath $Corpus) {
        # Not the hang reproducers: afl-fuzz must finish its dry run of every seed.
        Get-ChildItem -LiteralPath $Corpus -File | Where-Object Name -NotLike 'hang_*' | Copy-Item -Destination $Folder
    }

    $small = { param($files) $files | Where-Object { $_.Length -le $MaxCorpusFileBytes } }
    switch ($Target) {
        'Dicom' {
            & $small (Get-ChildItem (Join-Path $Fixtures 'dicom/corpus/files'), (Join-Path $Fixtures 'dicom/robustness') -File) | Copy-Item -Destination $Folder
            # One file of each synthetic series (each is a different layout or encoding).
            foreach ($series in Get-ChildItem (Join-Path $Fixtures 'dicom/series') -Directory) {
                $first = Get-ChildItem -LiteralPath $series.FullName -File | Sort-Object Name | Select-Object -First 1
                Copy-Item -LiteralPath $first.FullName -Destination (Join-Path $Folder "series_$($series.Name)_$($first.Name)")
            }
        }
        'Jpeg' { Get-ChildItem (Join-Path $Fixtures 'codecs') -Filter '*.jpg' | Copy-Item -Destination $Folder }
        'Rle' {
            $index = Get-Content -LiteralPath (Join-Path $Fixtures 'codecs/fixtures.json') -Raw | ConvertFrom-Json
            foreach ($f in $index.fixtures | Where-Object kind -EQ 'rle') {
                $frame = [System.IO.File]::ReadAllBytes((Join-Path $Fixtures "codecs/$($f.file)"))
                Write-Seed $Folder $f.file ([MdaiClaraFuzzRle]::Pack($frame, $f.rows, $f.columns, $f.samplesPerPixel, $f.bitsAllocated))
            }
        }
        'Nifti' { Get-ChildItem (Join-Path $Fixtures 'nifti/cases') -File | Where-Object Name -Match '\.nii(\.gz)?$' | Copy-Item -Destination $Folder }
        'MmarConfig' {
            $sample = Join-Path $Root 'samples/clara_pt_phantom_ct_segmentation'
            $parts = 'config/environment.json', 'config/config_inference.json', 'commands/infer.sh' | ForEach-Object {
                , [System.IO.File]::ReadAllBytes((Join-Path $sample $_))
            }
            Write-Seed $Folder 'sample_mmar' ([byte[]] ($parts[0] + [byte[]] @(0) + $parts[1] + [byte[]] @(0) + $parts[2]))
            Write-Seed $Folder 'sample_mmar_validation' ([byte[]] ($parts[0] + [byte[]] @(0) + [System.IO.File]::ReadAllBytes((Join-Path $sample 'config/config_validation.json'))))
        }
        'MmarZip' {
            # The sample MMAR without its model (the zip layer is what is fuzzed), flat and under a top folder.
            $sample = Join-Path $Root 'samples/clara_pt_phantom_ct_segmentation'
            Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
            foreach ($prefix in '', 'clara_pt_phantom/') {
                $zipPath = Join-Path $Folder ("sample_mmar$($prefix -replace '/', '_').zip")
                $zip = [System.IO.Compression.ZipFile]::Open($zipPath, 'Create')
                try {
                    foreach ($rel in 'config/environment.json', 'config/config_inference.json', 'commands/infer.sh', 'commands/set_env.sh') {
                        $null = [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, (Join-Path $sample $rel), "$prefix$rel")
                    }
                }
                finally { $zip.Dispose() }
            }
        }
        'Picture' { Get-ChildItem (Join-Path $Fixtures 'png') -Filter '*.png' | Copy-Item -Destination $Folder }
        'MdaiOutput' {
            # Each case's outputs (-InputObject keeps an empty list a list; NaN comes back as a string, the dictionary has the literal).
            $cases = Get-Content -LiteralPath (Join-Path $Fixtures 'mdai-output/validator_cases.json') -Raw | ConvertFrom-Json -AsHashtable
            $i = 0
            foreach ($case in $cases) {
                $json = ConvertTo-Json -InputObject $case['outputs'] -Depth 20 -Compress
                Write-Seed $Folder ('case_{0:d3}.json' -f $i++) ([System.Text.Encoding]::UTF8.GetBytes("$json"))
            }
        }
    }

    if (-not (Get-ChildItem -LiteralPath $Folder -File)) { throw "No seeds for $Target." }
}

Add-Type -TypeDefinition @'
public static class MdaiClaraFuzzRle {
    // Mirrors FuzzInput.PackRle: rows, columns (uint16 LE), samples per pixel, bits allocated, then the frame.
    public static byte[] Pack(byte[] frame, int rows, int columns, int samples, int bits) {
        var packed = new byte[6 + frame.Length];
        packed[0] = (byte)rows; packed[1] = (byte)(rows >> 8); packed[2] = (byte)columns; packed[3] = (byte)(columns >> 8);
        packed[4] = (byte)samples; packed[5] = (byte)bits;
        System.Array.Copy(frame, 0, packed, 6, frame.Length);
        return packed;
    }
}
'@

if (-not $NoBuild) { Build-Harness }
$harness = Join-Path $Bin 'MdaiClara.Fuzz.dll'
if (-not (Test-Path -LiteralPath $harness)) { throw "The harness is not built: $harness (run without -NoBuild)." }

$null = New-Item -ItemType Directory -Force -Path $Work
$seeds = Join-Path $Work 'seeds'
$findings = Join-Path $Work 'findings'
New-Seeds $seeds
if (Test-Path -LiteralPath $findings) { Remove-Item -LiteralPath $findings -Recurse -Force }

# The harness's environment: a bounded heap, a scratch folder of its own, no .NET chatter.
$env:DOTNET_GCHeapHardLimit = '0x{0:X}' -f ([long] $HeapLimitMB * 1MB)
$env:DOTNET_gcServer = '0'
$env:DOTNET_TieredPGO = '0'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:MDAICLARA_FUZZ_SCRATCH = Join-Path $Work 'scratch'
$env:MDAICLARA_FUZZ_SKIP_KNOWN = if ($SkipKnownDefects) { '1' } else { '0' }
# AFL++ with a managed target: no ELF to check, no CPU binding on a shared machine, no UI when logged to a file.
$env:AFL_SKIP_BIN_CHECK = '1'
$env:AFL_NO_AFFINITY = '1'
$env:AFL_SKIP_CPUFREQ = '1'
$env:AFL_NO_UI = '1'
$env:AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'
$env:AFL_SKIP_CRASHES = '1'
# A harness restarted after a crash loads the runtime (and, for Picture, libtorch) again: give it time on a busy machine.
$env:AFL_FORKSRV_INIT_TMOUT = '120000'
$dotnet = (Get-Command dotnet).Source

Write-Host "==> afl-fuzz $Target for $Minutes min (timeout $TimeoutMs ms, heap $HeapLimitMB MB)" -ForegroundColor Cyan
# Dictionaries of the format's tokens (tests/Fuzz/dictionaries) let the mutator write what the parser looks for.
$dictionaryNames = switch ($Target) {
    'MmarConfig' { 'MmarConfig', 'json' }
    'MdaiOutput' { 'MdaiOutput', 'json' }
    'Picture' { 'Picture', 'Jpeg' }
    'MmarZip' { @() }
    'Rle' { @() }
    default { $Target }
}
$dictionaries = foreach ($name in $dictionaryNames) { '-x'; Join-Path $PSScriptRoot "dictionaries/$name.dict" }
& afl-fuzz -i $seeds -o $findings -t $TimeoutMs -m none -V ($Minutes * 60) @dictionaries -- $dotnet $harness $Target | Out-Host
if ($LASTEXITCODE -ne 0) { throw "afl-fuzz ended with exit code $LASTEXITCODE." }

$stats = @{}
Get-Content -LiteralPath (Join-Path $findings 'default/fuzzer_stats') | ForEach-Object {
    $key, $value = $_ -split '\s*:\s*', 2
    $stats[$key.Trim()] = $value.Trim()
}
$summary = [pscustomobject]@{
    Target      = $Target
    Minutes     = $Minutes
    Executions  = [long] $stats.execs_done
    ExecsPerSec = [double] $stats.execs_per_sec
    Paths       = [int] $stats.corpus_count
    Edges       = "$($stats.edges_found)/$($stats.total_edges)"
    Crashes     = [int] $stats.saved_crashes
    Hangs       = [int] $stats.saved_hangs
}
$summary | Format-List | Out-Host
$summary | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $Work 'summary.json')

# Triage: every crash and hang replayed through the harness, with its outcome and time.
$triage = Join-Path $Work 'triage.txt'
$bad = foreach ($kind in 'crashes', 'hangs') {
    Get-ChildItem -LiteralPath (Join-Path $findings "default/$kind") -File -ErrorAction SilentlyContinue | Where-Object Name -Like 'id*'
}
if ($bad) {
    $env:MDAICLARA_FUZZ_SKIP_KNOWN = '0'
    & timeout 600 $dotnet $harness $Target @($bad.FullName) *> $triage
    Write-Host "==> $(@($bad).Count) crash/hang input(s); outcomes in $triage" -ForegroundColor Yellow
}

if ($UpdateCorpus) {
    $queue = Join-Path $findings 'default/queue'
    $minimised = Join-Path $Work 'cmin'
    if (Test-Path -LiteralPath $minimised) { Remove-Item -LiteralPath $minimised -Recurse -Force }
    $env:AFL_NO_FORKSRV = $null
    & afl-cmin -i $queue -o $minimised -t $TimeoutMs -m none -- $dotnet $harness $Target | Out-Host
    if ($LASTEXITCODE -ne 0 -or -not (Get-ChildItem -LiteralPath $minimised -File -ErrorAction SilentlyContinue)) {
        Write-Warning 'afl-cmin failed; keeping the queue, smallest files first.'
        $minimised = $queue
    }

    # The size cap: files up to MaxCorpusFileBytes, smallest first, up to MaxCorpusBytes in all.
    $kept = [System.Collections.Generic.List[System.IO.FileInfo]]::new()
    $total = 0
    foreach ($file in Get-ChildItem -LiteralPath $minimised -File | Where-Object Length -LE $MaxCorpusFileBytes | Sort-Object Length, Name) {
        if ($total + $file.Length -gt $MaxCorpusBytes) { break }
        $kept.Add($file); $total += $file.Length
    }

    # Seeds named seed_* (committed by hand) and crash reproducers (crash_*) stay; the rest is replaced.
    $null = New-Item -ItemType Directory -Force -Path $Corpus
    Get-ChildItem -LiteralPath $Corpus -File | Where-Object Name -NotMatch '^(seed|crash|hang)_' | Remove-Item
    foreach ($file in $kept) {
        $hash = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.Substring(0, 16).ToLowerInvariant()
        Copy-Item -LiteralPath $file.FullName -Destination (Join-Path $Corpus "cov_$hash")
    }
    Write-Host "==> corpus $Corpus : $($kept.Count) files, $total bytes" -ForegroundColor Cyan
}
