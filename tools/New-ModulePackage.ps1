<#
.SYNOPSIS
    Writes a PSGallery-style .nupkg of the staged module (Publish-PSResource to a temporary local repository).
    build.ps1 -Task Package runs it in a fresh pwsh.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleBase,
    [Parameter(Mandatory)] [string] $OutputDirectory
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

# Check what went in: the manifest, the format file, help, the cmdlet assembly and libtorch.
Add-Type -AssemblyName System.IO.Compression.FileSystem
$zip = [IO.Compression.ZipFile]::OpenRead($package.FullName)
try {
    $entries = $zip.Entries.FullName
    foreach ($required in 'MdaiClara.psd1', 'MdaiClara.Format.ps1xml', 'MdaiClara.Types.ps1xml', 'en-US/about_MdaiClara.help.txt', 'MdaiClara.nuspec', 'bin/MdaiClara.Cmdlets.dll', 'en-US/MdaiClara.Cmdlets.dll-Help.xml') {
        if ($entries -notcontains $required) { throw "The package lacks $required." }
    }
}
finally {
    $zip.Dispose()
}
Write-Host ("Package: {0} ({1:N0} bytes)" -f $package.FullName, $package.Length)
