# Shared by the Pester test files: the module under test and helpers to make broken MMARs from the sample.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$script:ModuleManifest = $env:MDAICLARA_TEST_MODULE
if (-not $script:ModuleManifest) {
    $script:ModuleManifest = Get-ChildItem -Path (Join-Path $PSScriptRoot '../../output/MdaiClara') -Filter MdaiClara.psd1 -Recurse | Select-Object -First 1 -ExpandProperty FullName
}
if (-not $script:ModuleManifest) { throw 'Build the module first: ./build.ps1 -Task Build' }
Import-Module $script:ModuleManifest -Force

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SampleMmar = Join-Path $script:RepoRoot 'samples/clara_pt_phantom_ct_segmentation'
$script:Fixtures = Join-Path $script:RepoRoot 'tests/fixtures'

function New-SampleCopy {
    # A writable copy of the sample MMAR under TestDrive, to break one thing at a time.
    param([string] $Name = 'mmar')
    $target = Join-Path $TestDrive $Name
    if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    $parent = Split-Path -Parent $target
    if (-not (Test-Path -LiteralPath $parent)) { $null = New-Item -ItemType Directory -Path $parent }
    Copy-Item -LiteralPath $script:SampleMmar -Destination $target -Recurse
    $target
}

function Set-JsonValue {
    # Rewrites one top-level key of a JSON file in a copy (no key means remove it).
    param([string] $Path, [string] $Key, $Value, [switch] $Remove)
    $json = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -AsHashtable
    if ($Remove) { $json.Remove($Key) } else { $json[$Key] = $Value }
    $json | ConvertTo-Json -Depth 32 | Set-Content -LiteralPath $Path
}

function Get-Finding {
    # The findings of one rule for an MMAR path.
    param([string] $Path, [string] $RuleId, [switch] $Deep)
    @(Test-Mmar -LiteralPath $Path -Detailed -Deep:$Deep | Where-Object RuleId -eq $RuleId)
}
