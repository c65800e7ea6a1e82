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
    Package  builds and writes one PSGallery-style .nupkg of the module to output/packages, carrying the natives of
             linux-x64 and win-x64 (CPU libtorch) in bin/<rid>/.
    Clean    removes output/ and the projects' bin/obj folders.
    Fuzz     runs an AFL++ campaign on one engine parser for -Minutes (-FuzzTarget; see tests/Fuzz/Invoke-Fuzz.ps1 and
             the README's Fuzzing section), then minimises its corpus into tests/fixtures/fuzz/<target>. The Debian
             package afl++ it needs is installed first, like every task's packages (build/Packages.psd1).
    Before a task runs, the Debian/Ubuntu packages it needs (build/Packages.psd1) are installed when missing, as root
    or with sudo that asks no password; otherwise the build stops with the exact command. -NoPackageInstall skips that.
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
    [int] $Minutes = 15,

    # Neither check nor install the Debian packages of build/Packages.psd1 (you provide them, or their equivalents).
    [switch] $NoPackageInstall
)

$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $false  # exit codes are checked explicitly (Invoke-Native)
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'

$Root = $PSScriptRoot
$Output = Join-Path $Root 'output'
[xml] $props = Get-Content -LiteralPath (Join-Path $Root 'Directory.Build.props') -Raw
function Get-BuildProperty([string] $Name) {
    @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode($Name) } | Where-Object { $_ })[0].InnerText
}
$Version = Get-BuildProperty 'ModuleVersion'
$TorchSharpVersion = Get-BuildProperty 'TorchSharpVersion'
$LibTorchVersion = Get-BuildProperty 'LibTorchVersion'
$SkiaSharpVersion = Get-BuildProperty 'SkiaSharpVersion'
$HarfBuzzSharpVersion = Get-BuildProperty 'HarfBuzzSharpVersion'
$NativeRid = if ($IsWindows) { 'win-x64' } elseif ($IsMacOS) { 'osx-arm64' } else { 'linux-x64' }
$ModuleBase = [IO.Path]::Combine($Output, 'MdaiClara', $Version)
$ModuleManifest = Join-Path $ModuleBase 'MdaiClara.psd1'
$Bin = Join-Path $ModuleBase 'bin'
$BuildFolder = Join-Path $Root 'build'

# The runtime identifiers one gallery package carries (CPU libtorch for each; natives in bin/<rid>/).
$PackageRids = @('linux-x64', 'win-x64')

# What the module ships (managed assemblies; natives per torch backend and RID): an explicit list, checked after every build.
$ModuleFiles = Import-PowerShellDataFile -LiteralPath (Join-Path $BuildFolder 'ModuleFiles.psd1')
Import-Module (Join-Path $BuildFolder 'NativeStaging.psm1') -Force
Import-Module (Join-Path $BuildFolder 'DebianPackages.psm1') -Force

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

function Get-LibTorchCompatTool {
    $project = [IO.Path]::Combine($BuildFolder, 'LibTorchCompat', 'LibTorchCompat.csproj')
    Invoke-Native dotnet build $project -c $Configuration --nologo -v quiet | Out-Host
    $dll = Get-ChildItem -LiteralPath ([IO.Path]::Combine($BuildFolder, 'LibTorchCompat', 'bin', $Configuration)) -Recurse -Filter 'LibTorchCompat.dll' | Select-Object -First 1
    if (-not $dll) { throw 'The LibTorchCompat tool did not build.' }
    $dll.FullName
}

function Invoke-LibTorchCompat([string] $Library, [switch] $Force) {
    # The GLIBCXX_3.4.32 fix (Linux natives only): a few bytes of the staged copy, in .NET, on any build host.
    $tool = Get-LibTorchCompatTool
    if ($Force) { Invoke-Native dotnet $tool $Library --force } else { Invoke-Native dotnet $tool $Library }
}

function Invoke-Build {
    Write-Step "Build MdaiClara $Version ($Configuration, torch backend $TorchBackend, $NativeRid)"
    $publish = [IO.Path]::Combine($Output, 'publish', $Configuration)
    Invoke-Native dotnet publish ([IO.Path]::Combine($Root, 'src', 'Cmdlets', 'MdaiClara.Cmdlets.csproj')) -c $Configuration -o $publish --nologo -v quiet "-p:TorchBackend=$TorchBackend" "-p:NativeRid=$NativeRid"

    New-Item -ItemType Directory -Force -Path $Bin | Out-Null
    # bin/ holds the managed assemblies; bin/<rid>/ the natives. Remove what is no longer shipped, so the staged
    # module matches the lists exactly (other RIDs' natives come back with -Task Package).
    $managedPatterns = @($ModuleFiles.Managed) + @('*.pdb', 'MdaiClara.Cmdlets.xml', 'MdaiClara.Engine.xml')
    Get-ChildItem -LiteralPath $Bin -File | Where-Object { $n = $_.Name; -not ($managedPatterns | Where-Object { $n -like $_ }) } | Remove-Item -Force
    Get-ChildItem -LiteralPath $Bin -Directory | Where-Object Name -NE $NativeRid | Remove-Item -Recurse -Force

    foreach ($name in $ModuleFiles.Managed) {
        $source = Join-Path $publish $name
        if (-not (Test-Path -LiteralPath $source)) { throw "The publish output lacks $name." }
        Copy-IfChanged -Source $source -Destination (Join-Path $Bin $name)
    }
    foreach ($pdb in Get-ChildItem -LiteralPath $publish -Filter 'MdaiClara.*.pdb') { Copy-IfChanged -Source $pdb.FullName -Destination (Join-Path $Bin $pdb.Name) }

    $files = Get-FileMap $publish
    $plan = Get-NativeStagingPlan -FileName @($files.Keys) -Backend $TorchBackend -Rid $NativeRid -ModuleFiles $ModuleFiles
    $null = Copy-NativeStagingPlan -Plan $plan -Files $files -BinFolder $Bin -Source "The publish output ($publish)"
    if ($NativeRid -like 'linux-*') {
        # Applied to the staged copy, and only when this host's libstdc++ lacks GLIBCXX_3.4.32.
        Invoke-LibTorchCompat (Join-Path (Join-Path $Bin $NativeRid) 'libLibTorchSharp.so')
    }

    $manifestText = (Get-Content -LiteralPath ([IO.Path]::Combine($Root, 'module', 'MdaiClara.psd1')) -Raw).Replace('{{ModuleVersion}}', $Version)
    Set-Content -LiteralPath $ModuleManifest -Value $manifestText -NoNewline
    Copy-Item -LiteralPath ([IO.Path]::Combine($Root, 'module', 'MdaiClara.Format.ps1xml')) -Destination $ModuleBase -Force
    Copy-Item -LiteralPath ([IO.Path]::Combine($Root, 'module', 'MdaiClara.Types.ps1xml')) -Destination $ModuleBase -Force
    # Conceptual help (Get-Help about_MdaiClara) beside the generated cmdlet help.
    New-Item -ItemType Directory -Force -Path (Join-Path $ModuleBase 'en-US') | Out-Null
    Copy-Item -LiteralPath ([IO.Path]::Combine($Root, 'module', 'en-US', 'about_MdaiClara.help.txt')) -Destination (Join-Path $ModuleBase 'en-US') -Force
    # The phantom CT series: Publish-MdaiModel's default smoke-run study (a few hundred KB).
    $sampleStudy = [IO.Path]::Combine($ModuleBase, 'samples', 'phantom-dicom')
    if (Test-Path -LiteralPath $sampleStudy) { Remove-Item -LiteralPath $sampleStudy -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $sampleStudy | Out-Null
    Copy-Item -Path ([IO.Path]::Combine($Root, 'samples', 'phantom', 'dicom', '*')) -Destination $sampleStudy
    foreach ($doc in 'README.md', 'LICENSE') {
        if (Test-Path -LiteralPath (Join-Path $Root $doc)) { Copy-Item -LiteralPath (Join-Path $Root $doc) -Destination $ModuleBase -Force }
    }
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File ([IO.Path]::Combine($Root, 'tools', 'New-CmdletHelp.ps1')) -ModuleBase $ModuleBase -DocumentationFile (Join-Path $publish 'MdaiClara.Cmdlets.xml')

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
    & dotnet test ([IO.Path]::Combine($Root, 'tests', 'MdaiClara.Engine.Tests', 'MdaiClara.Engine.Tests.csproj')) -c $Configuration --nologo `
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
    & dotnet pwsh -NoProfile -NonInteractive -File ([IO.Path]::Combine($Root, 'tests', 'Pester', 'Invoke-PesterTests.ps1')) `
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
    Invoke-Native dotnet restore ([IO.Path]::Combine($BuildFolder, 'tools', 'tools.proj')) --nologo -v quiet
    $psd1 = [IO.Path]::Combine((Get-NuGetPackagesFolder), 'pester', '6.2.0', 'tools', 'Pester.psd1')
    if (-not (Test-Path -LiteralPath $psd1)) { throw "Pester 6.2.0 was not restored to $psd1." }
    $psd1
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Demo: the sample MMAR'
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File ([IO.Path]::Combine($Root, 'samples', 'Invoke-Demo.ps1')) -ModuleManifest $ModuleManifest
}

function Invoke-Bench {
    Invoke-Build
    Write-Step 'Benchmark'
    $benchOut = Join-Path $Output 'bench'
    New-Item -ItemType Directory -Force -Path $benchOut | Out-Null
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File ([IO.Path]::Combine($Root, 'tests', 'Bench', 'Invoke-Bench.ps1')) -ModuleManifest $ModuleManifest -OutputDirectory $benchOut
}

function Get-NuGetPackagesFolder {
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    if ($LASTEXITCODE -ne 0 -or -not $packages) { throw 'Cannot find the NuGet global packages folder.' }
    $packages.Trim()
}

function Add-PackageRidNatives([string] $Rid) {
    # Another RID's CPU natives, straight from NuGet (restored only here, so Build never needs them): TorchSharp's
    # LibTorchSharp for that RID and the libtorch-cpu-<rid> package.
    Write-Step "Package: $Rid natives (libtorch-cpu-$Rid $LibTorchVersion)"
    Invoke-Native dotnet restore ([IO.Path]::Combine($BuildFolder, 'natives', 'natives.proj')) --nologo -v quiet "-p:NativeRid=$Rid"
    $packages = Get-NuGetPackagesFolder
    # SkiaSharp's and HarfBuzzSharp's natives (the validation report's pictures) come per OS family; macOS's in runtimes/osx.
    $family = if ($Rid -like 'win-*') { 'win32' } elseif ($Rid -like 'osx-*') { 'macos' } else { 'linux' }
    $skia = if ($family -eq 'linux') { 'skiasharp.nativeassets.linux.nodependencies' } else { "skiasharp.nativeassets.$family" }
    $graphicsRid = if ($family -eq 'macos') { 'osx' } else { $Rid }
    $folders = @(
        [IO.Path]::Combine($packages, 'torchsharp', $TorchSharpVersion, 'runtimes', $Rid, 'native'),
        [IO.Path]::Combine($packages, "libtorch-cpu-$Rid", $LibTorchVersion, 'runtimes', $Rid, 'native'),
        [IO.Path]::Combine($packages, $skia, $SkiaSharpVersion, 'runtimes', $graphicsRid, 'native'),
        [IO.Path]::Combine($packages, "harfbuzzsharp.nativeassets.$family", $HarfBuzzSharpVersion, 'runtimes', $graphicsRid, 'native'))
    $files = Get-FileMap $folders
    $plan = Get-NativeStagingPlan -FileName @($files.Keys) -Backend 'cpu' -Rid $Rid -ModuleFiles $ModuleFiles
    $null = Copy-NativeStagingPlan -Plan $plan -Files $files -BinFolder $Bin -Source "The NuGet packages for $Rid"
}

function Invoke-Package {
    Invoke-Build
    $rids = @($NativeRid)
    if ($TorchBackend -eq 'cpu') {
        foreach ($rid in $PackageRids | Where-Object { $_ -ne $NativeRid }) { Add-PackageRidNatives $rid; $rids += $rid }
    }
    else {
        Write-Warning "-TorchBackend ${TorchBackend}: the package carries this host's natives only ($NativeRid); the other RIDs' CUDA libtorch is not restored here."
    }
    $linux = Join-Path (Join-Path $Bin 'linux-x64') 'libLibTorchSharp.so'
    if (Test-Path -LiteralPath $linux) {
        # A gallery package meets every kind of Linux host: the fix goes in whatever this build host's libstdc++ is
        # (it changes nothing where GLIBCXX_3.4.32 exists). Windows natives are never touched.
        Invoke-LibTorchCompat $linux -Force
    }

    Write-Step "Package: PSGallery-style .nupkg ($($rids -join ', '))"
    $packages = Join-Path $Output 'packages'
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File ([IO.Path]::Combine($Root, 'tools', 'New-ModulePackage.ps1')) -ModuleBase $ModuleBase -OutputDirectory $packages -Rid ($rids -join ',')
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
    if (-not $NoPackageInstall -and $Task -ne 'Clean') {
        # Every task but Clean builds first; then what the task itself needs.
        $packageList = Join-Path $BuildFolder 'Packages.psd1'
        Install-TaskPackage -Task 'Build' -Path $packageList
        if ($Task -ne 'Build') { Install-TaskPackage -Task $Task -Path $packageList }
    }
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
