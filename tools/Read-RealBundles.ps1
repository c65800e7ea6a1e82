<#
.SYNOPSIS
    Reads every real MONAI bundle config set in a folder (by default the project machine's ../shared/real-mmars,
    folders named bundle_*) with Get-MonaiBundle and Test-MonaiBundle, and prints what was derived from each: name,
    version, MONAI/PyTorch versions, task, channels, labels, the pipeline's transforms and inferer, and the findings.
    Those configs are published Model Zoo files that stay outside the repository; the committed tests use bundles of
    our own in the same idiom (tests/fixtures/bundles/zoo-style).
.EXAMPLE
    dotnet pwsh tools/Read-RealBundles.ps1
#>
param([string] $Path = (Join-Path $PSScriptRoot '../../shared/real-mmars'))
$ErrorActionPreference = 'Stop'
Import-Module (Get-Item (Join-Path $PSScriptRoot '../output/MdaiClara/*/MdaiClara.psd1')).FullName
foreach ($dir in Get-ChildItem -LiteralPath $Path -Directory -Filter 'bundle_*' | Sort-Object Name) {
    $b = Get-MonaiBundle -LiteralPath $dir.FullName -WarningVariable warnings -WarningAction SilentlyContinue
    $findings = Test-MonaiBundle -LiteralPath $dir.FullName -Detailed -WarningAction SilentlyContinue
    [pscustomobject]@{
        Folder         = $dir.Name
        Name           = $b.Name
        Version        = $b.Version
        Monai          = $b.MonaiVersion
        Semantics      = ($b.Derived | Where-Object Name -eq 'MonaiSemantics').Value
        PyTorch        = $b.PytorchVersion
        Task           = $b.Task
        Channels       = "$($b.InputChannels) -> $($b.OutputChannels)"
        Labels         = $b.Labels -join ', '
        PreTransforms  = if ($b.Pipeline) { ($b.Pipeline.PreTransforms | ForEach-Object ShortName) -join ' > ' }
        Inferer        = if ($b.Pipeline -and $b.Pipeline.Inferer) { $b.Pipeline.Inferer.ShortName }
        PostTransforms = if ($b.Pipeline) { ($b.Pipeline.PostTransforms | ForEach-Object ShortName) -join ' > ' }
        Resolved       = if ($b.Pipeline) { $b.Pipeline.Resolved } else { $false }
        Warnings       = @($warnings).Count
        Findings       = ($findings | Group-Object Severity | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
    }
}
