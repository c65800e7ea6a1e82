<#
.SYNOPSIS
    Runs one help example verbatim, as a user would paste it: in a fresh pwsh, in a scratch folder holding the
    fixtures (./mmar, ./ct.nii.gz, ./studies/ct1, ./mdai_annotations.json), with the module imported and Pester importable by name.
    HelpExamples.Tests.ps1 starts it once per example. Any error stops it (exit code 1) with the error text.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $Scratch,
    [Parameter(Mandatory)] [string] $CodeFile,
    [Parameter(Mandatory)] [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$env:PSModulePath = $ModulePath + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module $ModuleManifest
Set-Location -LiteralPath $Scratch
$example = [scriptblock]::Create((Get-Content -LiteralPath $CodeFile -Raw))
# Formatted as the console would show it, so a broken view fails the example too.
& $example | Out-String -Width 160
