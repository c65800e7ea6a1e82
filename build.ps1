#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The one entry point to build, test, demo, benchmark and package MdaiClara.
.DESCRIPTION
    Build    stages the module to output/MdaiClara/<version>/ ready for Import-Module.
    Test     builds, runs the xunit engine tests, then Pester against the staged module in a fresh pwsh,
             and prints one line "N passed, N failed" for both together.
    Demo     builds and runs the main job on the embedded sample MMAR.
    Bench    builds and measures what the issues set targets for (see tests/Bench).
    Package  builds and writes a PSGallery-style .nupkg of the module to output/packages.
    Clean    removes output/ and the projects' bin/obj folders.
    Fuzz     runs an AFL++ campaign on one engine parser for -Minutes (-FuzzTarget; see tests/Fuzz/Invoke-Fuzz.ps1 and
             the README's Fuzzing section), then minimises its corpus into tests/fixtures/fuzz/<target>.
    Fails hard: any error or non-zero exit code stops the build with a non-zero exit code.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Fuzz -FuzzTarget Dicom -Minutes 15
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean', 'Fuzz')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # cpu (libtorch-cpu) or cuda (TorchSharp-cuda-*, where a feed serves them).
    [ValidateSet('cpu', 'cuda')]
    [string] $TorchBackend = 'cpu',

    # Fuzz: the parser to fuzz (All: each in turn) and the minutes per target.
    [ValidateSet('Dicom', 'Jpeg', 'Rle', 'Nifti', 'MmarConfig', 'MmarZip', 'Picture', 'MdaiOutput', 'All')]
    [string] $FuzzTarget = 'All',

    [ValidateRange(1, 1440)]
    [int] $Minutes = 15
)

$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false  # exit codes are checked explicitly (Invoke-Native)
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'

$Root = $PSScriptRoot
$Output = Join-Path $Root 'output'
[xml] $props = Get-Content -LiteralPath (Join-Path $Root 'Directory.Build.props') -Raw
$Version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('ModuleVersion') } | Where-Object { $_ })[0].InnerText
$NativeRid = if ($IsWindows) { 'win-x64' } elseif ($IsMacOS) { 'osx-arm64' } else { 'linux-x64' }
$ModuleBase = Join-Path $Output "MdaiClara/$Version"
$ModuleManifest = Join-Path $ModuleBase 'MdaiClara.psd1'
$Bin = Join-Path $ModuleBase 'bin'

# What the module ships: an explicit list, checked after every build.
$ManagedFiles = @('MdaiClara.Cmdlets.dll', 'MdaiClara.Engine.dll', 'TorchSharp.dll', 'Google.Protobuf.dll', 'ICSharpCode.SharpZipLib.dll', 'SkiaSharp.dll', 'StbImageSharp.dll', 'YamlDotNet.dll')
$NativePatterns = @{
    'linux-x64' = @('libLibTorchSharp.so', 'libtorch.so', 'libtorch_cpu.so', 'libc10.so', 'libgomp-*.so.1')
    'win-x64'   = @('LibTorchSharp.dll', 'torch.dll', 'torch_cpu.dll', 'c10.dll', 'libiomp5md.dll', 'uv.dll', 'fbgemm.dll', 'asmjit.dll')
    'osx-arm64' = @('libLibTorchSharp.dylib', 'libtorch.dylib', 'libtorch_cpu.dylib', 'libc10.dylib')
}

function Write-Step([string] $Text) {
    Write-Host "==> $Text" -ForegroundColor Cyan
}

function Invoke-Native {
    # Runs a program (first argument) with the rest as its arguments, and stops the build when it fails.
    # A plain function, so arguments such as -o pass through untouched.
    $program, $arguments = $args
    & $program @arguments
    if ($LASTEXITCODE -ne 0) { throw "$program $($arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Copy-IfChanged([string] $Source, [string] $Destination) {
    # libtorch_cpu.so is ~460 MB: copy only when size or time differs.
    if (Test-Path -LiteralPath $Destination) {
        $s = Get-Item -LiteralPath $Source; $d = Get-Item -LiteralPath $Destination
        if ($s.Length -eq $d.Length -and $s.LastWriteTimeUtc -eq $d.LastWriteTimeUtc) { return }
    }
    Copy-Item -LiteralPath $Source -Destination $Destination -Force
}

function Get-LibTorchCompatTool {
    $project = Join-Path $Root 'build/LibTorchCompat/LibTorchCompat.csproj'
    Invoke-Native dotnet build $project -c $Configuration --nologo -v quiet | Out-Host
    $dll = Get-ChildItem -LiteralPath (Join-Path $Root "build/LibTorchCompat/bin/$Configuration") -Recurse -Filter 'LibTorchCompat.dll' | Select-Object -First 1
    if (-not $dll) { throw 'The LibTorchCompat tool did not build.' }
    $dll.FullName
}

function Invoke-Build {
    Write-Step "Build MdaiClara $Version ($Configuration, torch backend $TorchBackend, $NativeRid)"
    $publish = Join-Path $Output "publish/$Configuration"
    Invoke-Native dotnet publish (Join-Path $Root 'src/Cmdlets/MdaiClara.Cmdlets.csproj') -c $Configuration -o $publish --nologo -v quiet "-p:TorchBackend=$TorchBackend" "-p:NativeRid=$NativeRid"

    New-Item -ItemType Directory -Force -Path $Bin | Out-Null
    # Remove what is no longer shipped, so the staged module matches the allow-list exactly.
    $patterns = @($ManagedFiles) + @($NativePatterns[$NativeRid]) + @('libmdaiclara_glibcxx_shim.so', '*.pdb', 'MdaiClara.Cmdlets.xml', 'MdaiClara.Engine.xml')
    Get-ChildItem -LiteralPath $Bin -File | Where-Object { $n = $_.Name; -not ($patterns | Where-Object { $n -like $_ }) } | Remove-Item -Force

    foreach ($name in $ManagedFiles) {
        $source = Join-Path $publish $name
        if (-not (Test-Path -LiteralPath $source)) { throw "The publish output lacks $name." }
        Copy-IfChanged $source (Join-Path $Bin $name)
    }
    foreach ($pdb in Get-ChildItem -LiteralPath $publish -Filter 'MdaiClara.*.pdb') { Copy-IfChanged $pdb.FullName (Join-Path $Bin $pdb.Name) }
    foreach ($pattern in $NativePatterns[$NativeRid]) {
        $found = @(Get-ChildItem -LiteralPath $publish -Filter $pattern)
        if ($found.Count -eq 0) { throw "The publish output lacks the native library $pattern (torch backend $TorchBackend)." }
        foreach ($file in $found) {
            # libLibTorchSharp.so may be patched in the staged copy; compare it with the original by content below.
            if ($file.Name -ne 'libLibTorchSharp.so') { Copy-IfChanged $file.FullName (Join-Path $Bin $file.Name) }
        }
    }

    if ($NativeRid -eq 'linux-x64') {
        # The GLIBCXX_3.4.32 compat fix, applied to the staged copy and only on hosts that need it.
        $staged = Join-Path $Bin 'libLibTorchSharp.so'
        Copy-Item -LiteralPath (Join-Path $publish 'libLibTorchSharp.so') -Destination $staged -Force
        Remove-Item -LiteralPath (Join-Path $Bin 'libmdaiclara_glibcxx_shim.so') -Force -ErrorAction SilentlyContinue
        $tool = Get-LibTorchCompatTool
        Invoke-Native dotnet $tool $staged
    }

    $manifestText = (Get-Content -LiteralPath (Join-Path $Root 'module/MdaiClara.psd1') -Raw).Replace('{{ModuleVersion}}', $Version)
    Set-Content -LiteralPath $ModuleManifest -Value $manifestText -NoNewline
    Copy-Item -LiteralPath (Join-Path $Root 'module/MdaiClara.Format.ps1xml') -Destination $ModuleBase -Force
    # The phantom CT series: Publish-MdaiModel's default smoke-run study (a few hundred KB).
    $sampleStudy = Join-Path $ModuleBase 'samples/phantom-dicom'
    if (Test-Path -LiteralPath $sampleStudy) { Remove-Item -LiteralPath $sampleStudy -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $sampleStudy | Out-Null
    Copy-Item -Path (Join-Path $Root 'samples/phantom/dicom/*') -Destination $sampleStudy
    foreach ($doc in 'README.md', 'LICENSE') {
        if (Test-Path -LiteralPath (Join-Path $Root $doc)) { Copy-Item -LiteralPath (Join-Path $Root $doc) -Destination $ModuleBase -Force }
    }
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/New-CmdletHelp.ps1') -ModuleBase $ModuleBase -DocumentationFile (Join-Path $publish 'MdaiClara.Cmdlets.xml')

    $manifest = Test-ModuleManifest -Path $ModuleManifest
    Write-Host "Staged $($manifest.Name) $($manifest.Version) at $ModuleBase"
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Output 'TestResults'
    if (Test-Path -LiteralPath $results) { Remove-Item -LiteralPath $results -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $results | Out-Null

    Write-Step 'xunit: engine tests'
    $trx = Join-Path $results 'engine.trx'
    & dotnet test (Join-Path $Root 'tests/MdaiClara.Engine.Tests/MdaiClara.Engine.Tests.csproj') -c $Configuration --nologo `
        "-p:TorchBackend=$TorchBackend" --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $xunit = @{ Passed = 0; Failed = 0 }
    if (Test-Path -LiteralPath $trx) {
        [xml] $report = Get-Content -LiteralPath $trx -Raw
        $counters = $report.TestRun.ResultSummary.Counters
        $xunit.Passed = [int] $counters.passed
        $xunit.Failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted + [int] $counters.notExecuted
    }
    elseif ($xunitExit -ne 0) { $xunit.Failed = 1 }

    Write-Step 'Pester: the staged module in a fresh pwsh'
    $pester = Get-PesterPath
    $summary = Join-Path $results 'pester-summary.json'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterTests.ps1') `
        -PesterManifest $pester -ModuleManifest $ModuleManifest -ResultDirectory $results -SummaryPath $summary
    $pesterExit = $LASTEXITCODE
    $pesterCounts = @{ Passed = 0; Failed = 0 }
    if (Test-Path -LiteralPath $summary) {
        $pesterCounts = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json -AsHashtable
    }
    elseif ($pesterExit -ne 0) { $pesterCounts.Failed = 1 }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    if ($failed -eq 0 -and ($xunitExit -ne 0 -or $pesterExit -ne 0)) { $failed = 1 }
    Write-Host ''
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Get-PesterPath {
    # Pester 6.2.0 comes from NuGet through a PackageDownload; nothing is installed globally.
    Invoke-Native dotnet restore (Join-Path $Root 'build/tools/tools.proj') --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    if ($LASTEXITCODE -ne 0 -or -not $packages) { throw 'Cannot find the NuGet global packages folder.' }
    $psd1 = Join-Path $packages.Trim() 'pester/6.2.0/tools/Pester.psd1'
    if (-not (Test-Path -LiteralPath $psd1)) { throw "Pester 6.2.0 was not restored to $psd1." }
    $psd1
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Demo: the sample MMAR'
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'samples/Invoke-Demo.ps1') -ModuleManifest $ModuleManifest
}

function Invoke-Bench {
    Invoke-Build
    Write-Step 'Benchmark'
    $benchOut = Join-Path $Output 'bench'
    New-Item -ItemType Directory -Force -Path $benchOut | Out-Null
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/Invoke-Bench.ps1') -ModuleManifest $ModuleManifest -OutputDirectory $benchOut
}

function Invoke-Package {
    Invoke-Build
    Write-Step 'Package: PSGallery-style .nupkg'
    $packages = Join-Path $Output 'packages'
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/New-ModulePackage.ps1') -ModuleBase $ModuleBase -OutputDirectory $packages
}

function Invoke-Fuzz {
    # Coverage-guided fuzzing with AFL++ and SharpFuzz; the corpus it minimises is replayed by the xunit tests.
    $script = Join-Path $Root 'tests/Fuzz/Invoke-Fuzz.ps1'
    $targets = if ($FuzzTarget -eq 'All') { @('Dicom', 'Jpeg', 'Rle', 'Nifti', 'MmarConfig', 'MmarZip', 'Picture', 'MdaiOutput') } else { @($FuzzTarget) }
    $first = $true
    foreach ($target in $targets) {
        Write-Step "Fuzz $target ($Minutes min)"
        $extra = if ($first) { @{} } else { @{ NoBuild = $true } }
        & $script -Target $target -Minutes $Minutes -UpdateCorpus @extra
        $first = $false
    }
}

function Invoke-Clean {
    Write-Step 'Clean'
    foreach ($path in @($Output) + @(Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests'), (Join-Path $Root 'build') -Recurse -Directory -Include bin, obj -ErrorAction SilentlyContinue | ForEach-Object FullName)) {
        if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse -Force }
    }
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Package' { Invoke-Package }
        'Clean' { Invoke-Clean }
        'Fuzz' { Invoke-Fuzz }
    }
}
finally {
    Pop-Location
}
