<#
.SYNOPSIS
    Writes a PSGallery-style .nupkg of the staged module (Publish-PSResource to a temporary local repository).
    build.ps1 -Task Package runs it in a fresh pwsh.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleBase,
    [Parameter(Mandatory)] [string] $OutputDirectory,

    # The runtime identifiers whose natives (bin/<rid>/) the package must carry, comma-separated.
    [string] $Rid = 'linux-x64'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'

Import-Module Microsoft.PowerShell.PSResourceGet
$manifest = Test-ModuleManifest -Path (Join-Path $ModuleBase 'MdaiClara.psd1')
$target = Join-Path $OutputDirectory ("{0}.{1}.nupkg" -f $manifest.Name, $manifest.Version)
if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Force }

$repository = "MdaiClaraBuild-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
Register-PSResourceRepository -Name $repository -Uri (Resolve-Path -LiteralPath $OutputDirectory).Path -Trusted
try {
    Publish-PSResource -Path $ModuleBase -Repository $repository -SkipDependenciesCheck
}
finally {
    Unregister-PSResourceRepository -Name $repository
}

$package = Get-ChildItem -LiteralPath $OutputDirectory -Filter '*.nupkg' | Where-Object Name -like "$($manifest.Name).$($manifest.Version)*.nupkg" | Select-Object -First 1
if (-not $package) { throw "Publish-PSResource wrote no package to $OutputDirectory." }

# Check what went in: the manifest, the format file, help, the cmdlet assembly, libtorch and the report's graphics
# libraries (SkiaSharp, HarfBuzzSharp) for every RID.
$natives = @{
    'linux-x64' = @('libLibTorchSharp.so', 'libtorch_cpu.so', 'libc10.so', 'libSkiaSharp.so', 'libHarfBuzzSharp.so')
    'win-x64'   = @('LibTorchSharp.dll', 'torch_cpu.dll', 'c10.dll', 'libSkiaSharp.dll', 'libHarfBuzzSharp.dll')
    'osx-arm64' = @('libLibTorchSharp.dylib', 'libtorch_cpu.dylib', 'libc10.dylib', 'libSkiaSharp.dylib', 'libHarfBuzzSharp.dylib')
}
$required = @('MdaiClara.psd1', 'MdaiClara.Format.ps1xml', 'MdaiClara.Types.ps1xml', 'en-US/about_MdaiClara.help.txt', 'MdaiClara.nuspec', 'bin/MdaiClara.Cmdlets.dll', 'en-US/MdaiClara.Cmdlets.dll-Help.xml')
foreach ($r in $Rid -split ',' | Where-Object { $_ }) {
    if (-not $natives.ContainsKey($r)) { throw "No native check is defined for $r." }
    $required += $natives[$r] | ForEach-Object { "bin/$r/$_" }
}
Add-Type -AssemblyName System.IO.Compression.FileSystem
$zip = [IO.Compression.ZipFile]::OpenRead($package.FullName)
try {
    # Zip entry names use '/', but be lenient with a packer that wrote '\'.
    $entries = @($zip.Entries | ForEach-Object { $_.FullName -replace '\\', '/' })
    foreach ($entry in $required) {
        if ($entries -notcontains $entry) { throw "The package lacks $entry." }
    }
    $byRid = $zip.Entries | Group-Object { if (($_.FullName -replace '\\', '/') -match '^bin/([^/]+)/') { $Matches[1] } else { '(module)' } }
    foreach ($group in $byRid | Sort-Object Name) {
        Write-Host ("  {0,-12} {1,4} files, {2,6:N1} MB compressed, {3,7:N1} MB installed" -f $group.Name, $group.Count,
            (($group.Group | Measure-Object CompressedLength -Sum).Sum / 1MB), (($group.Group | Measure-Object Length -Sum).Sum / 1MB))
    }
}
finally {
    $zip.Dispose()
}
Write-Host ("Package: {0} ({1:N0} bytes, {2:N1} MB)" -f $package.FullName, $package.Length, ($package.Length / 1MB))
