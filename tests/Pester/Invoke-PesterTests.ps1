<#
.SYNOPSIS
    Runs the Pester tests against the staged module. build.ps1 starts it in a fresh pwsh -NoProfile.
    Writes NUnit XML and a small JSON summary ({Passed, Failed}) for build.ps1's totals line.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $ResultDirectory,
    [Parameter(Mandatory)] [string] $SummaryPath
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force

# The tests import the module from here, as users do after Build.
$env:MDAICLARA_TEST_MODULE = (Resolve-Path -LiteralPath $ModuleManifest).Path

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = Join-Path $ResultDirectory 'pester.xml'

$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
if ($result.SkippedCount -gt 0) { Write-Warning "$($result.SkippedCount) Pester tests were skipped." }
exit ([int]($failed -gt 0))
