<#
.SYNOPSIS
    Tries the real published Clara 4.x MMAR configs (../shared/real-mmars, outside the repo) as a user would: Test-Mmar,
    Repair-Mmar where Test-Mmar fails, then Publish-MdaiModel -WhatIf, printing each verdict and check.
.DESCRIPTION
    The configs ship without weights: a stand-in TorchScript from the repo is put where each MMAR's analysis expects its
    model (tests/fixtures/torchscript/conv3d_1to2.ts for 2 output channels, the sample's 3-channel model otherwise).
    Everything is written under -WorkFolder (a copy per MMAR); the real-mmars folder is only read.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh ./tools/Invoke-RealMmarTrial.ps1 -RealMmars ../shared/real-mmars
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $RealMmars,
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../output/MdaiClara/0.1.0/MdaiClara.psd1'),
    [string] $WorkFolder = (Join-Path ([IO.Path]::GetTempPath()) 'mdaiclara-real-mmars')
)

$ErrorActionPreference = 'Continue'
Import-Module $ModuleManifest
$repo = Join-Path $PSScriptRoot '..'
$models = @{
    2 = Join-Path $repo 'tests/fixtures/torchscript/conv3d_1to2.ts'
    3 = Join-Path $repo 'samples/clara_pt_phantom_ct_segmentation/models/model.ts'
}
Remove-Item -LiteralPath $WorkFolder -Recurse -Force -ErrorAction SilentlyContinue
$null = New-Item -ItemType Directory -Path $WorkFolder

function Add-StandInModel([string] $Path) {
    $mmar = Get-Mmar -LiteralPath $Path
    if ($mmar.TorchScript -and -not (Test-Path -LiteralPath (Join-Path $Path $mmar.TorchScript.RelativePath))) {
        $target = Join-Path $Path $mmar.TorchScript.RelativePath
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $target)
        Copy-Item -LiteralPath $models[$(if ($mmar.OutputChannels -eq 2) { 2 } else { 3 })] -Destination $target
    }
}

function Get-ErrorRule([string] $Path) {
    @(Test-Mmar -LiteralPath $Path -Detailed | Where-Object Severity -eq Error | ForEach-Object RuleId | Sort-Object -Unique) -join ', '
}

foreach ($source in Get-ChildItem -LiteralPath $RealMmars -Directory -Filter 'clara4*') {
    $path = Join-Path $WorkFolder $source.Name
    Copy-Item -LiteralPath $source.FullName -Destination $path -Recurse
    Add-StandInModel $path
    "== $($source.Name): Test-Mmar $([bool](Test-Mmar -LiteralPath $path)); errors: $(Get-ErrorRule $path)"
    $target = $path
    if (-not (Test-Mmar -LiteralPath $path)) {
        $repair = Repair-Mmar -Mmar $path -Destination "$path-repaired" -WarningAction SilentlyContinue
        if ($repair) {
            $target = "$path-repaired"
            Add-StandInModel $target
            "   Repair-Mmar: $(@($repair.Changes).Count) changes; then Test-Mmar $([bool](Test-Mmar -LiteralPath $target)); errors: $(Get-ErrorRule $target)"
        }
    }
    $publish = Publish-MdaiModel -Mmar $target -Destination (Join-Path $WorkFolder 'outbox') -WhatIf -ErrorAction SilentlyContinue -ErrorVariable failed
    foreach ($check in @($publish.Checks)) { '   {0,-15} {1,-8} {2}' -f $check.Name, $check.Status, $check.Detail }
}
