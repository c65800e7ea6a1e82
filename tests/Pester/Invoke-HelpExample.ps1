<#
.SYNOPSIS
    Runs one help example verbatim, as a user would paste it: in a fresh pwsh, in a scratch folder holding the
    fixtures (./mmar, ./ct.nii.gz, ./studies/ct1, ./mdai_annotations.json), with the module imported and Pester importable by name. With
    -PacsUri (a test Orthanc holding the phantom series; its password in MDAICLARA_TEST_PACS_PASSWORD) the example
    also gets $PacsUri, $PacsCredential and a connection named 'pacs' to it, as an admin's session would have; with
    -PacsDicomPort (the same Orthanc's DICOM port) $PacsHost, $PacsPort and a DIMSE connection named 'pacs-dimse'.
    HelpExamples.Tests.ps1 starts it once per example. Any error stops it (exit code 1) with the error text.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $Scratch,
    [Parameter(Mandatory)] [string] $CodeFile,
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $PacsUri,
    [string] $PacsUser,
    [int] $PacsDicomPort
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$env:PSModulePath = $ModulePath + [IO.Path]::PathSeparator + $env:PSModulePath
Import-Module $ModuleManifest
Set-Location -LiteralPath $Scratch
if ($PacsUri) {
    $PacsCredential = [pscredential]::new($PacsUser, (ConvertTo-SecureString $env:MDAICLARA_TEST_PACS_PASSWORD -AsPlainText -Force))
    $null = New-DicomWebConnection -Uri $PacsUri -Credential $PacsCredential -Name pacs
}
if ($PacsDicomPort) {
    # The same Orthanc's DICOM port (AE title ORTHANC), as an admin's New-DicomConnection would be given.
    $PacsHost = '127.0.0.1'
    $PacsPort = $PacsDicomPort
    $null = New-DicomConnection -HostName $PacsHost -Port $PacsPort -CalledAE ORTHANC -Name pacs-dimse
}
$example = [scriptblock]::Create((Get-Content -LiteralPath $CodeFile -Raw))
# Formatted as the console would show it, so a broken view fails the example too.
& $example | Out-String -Width 160
