<#
.SYNOPSIS
    Runs MdaiClara's bundle evaluation reader over every Model Zoo bundle with an evaluation config
    (configs/evaluate.json|yaml over configs/train.json|yaml, merged as monai.bundle run merges a list of config files)
    and prints a Markdown table: whether the validation pipeline and metrics read without running Python, whether
    every component binds to MdaiClara's transforms and inferers (Test-MonaiBundle's evaluation warnings), the
    metrics reported, and the first reason when not.
.EXAMPLE
    dotnet pwsh tools/Survey-ModelZooEvaluation.ps1 -Repository /work/.mirror/Project-MONAI+model-zoo/repo
    (a git directory of Project-MONAI/model-zoo; only models/*/configs is read, no weights)
#>
param(
    [Parameter(Mandatory)] [string] $Repository,
    [string] $Commit = 'HEAD'
)
$ErrorActionPreference = 'Stop'
Import-Module (Get-Item (Join-Path $PSScriptRoot '../output/MdaiClara/*/MdaiClara.psd1')).FullName
Import-Module (Join-Path $PSScriptRoot 'ModelZooConfigs.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "zoo-evaluation-survey-$PID"
$null = New-Item -ItemType Directory -Path $work
try {
    $sha = Export-ModelZooConfig -Repository $Repository -Commit $Commit -Destination $work -BundleFilter {
        param($files)
        $files | Where-Object { $_ -match '/configs/evaluate\.(json|yaml|yml)$' } | ForEach-Object { ($_ -split '/')[1] } | Sort-Object -Unique
    }
    $withEvaluation = @(Get-ChildItem (Join-Path $work 'models') -Directory)
    "Project-MONAI/model-zoo @ $($sha.Substring(0, 8)), $($withEvaluation.Count) bundles with an evaluation config"
    ''
    '| bundle | configs merged | validation pipeline | metrics read (left out) | first problem |'
    '|---|---|---|---|---|'
    foreach ($dir in Get-ChildItem (Join-Path $work 'models') -Directory | Sort-Object Name) {
        $source = [MdaiClara.Engine.Bundles.BundleSource]::Open($dir.FullName)
        try {
            $metaPath = Join-Path $dir 'configs/metadata.json'
            $meta = if (Test-Path -LiteralPath $metaPath) { [MdaiClara.Engine.Bundles.ConfigFile]::Parse('configs/metadata.json', [IO.File]::ReadAllBytes($metaPath)) } else { $null }
            $e = [MdaiClara.Engine.Bundles.BundleEvaluationReader]::Read($source, $meta)
        }
        finally { $source.Dispose() }
        $findings = @(Test-MonaiBundle -LiteralPath $dir.FullName -Detailed -WarningAction SilentlyContinue | Where-Object { $_.File -match 'configs/(train|evaluate)\.' -and "$($_.Severity)" -eq 'Warning' })
        $state = if ($e.Problems.Count -gt 0) { 'refused' } elseif ($findings | Where-Object RuleId -ne 'BundleEvaluationMetricUnsupported') { 'reads, does not bind' } else { 'reads and binds' }
        $metrics = ($e.Metrics | ForEach-Object { "$($_.LogLabel) ($($_.Component.ShortName))" }) -join ', '
        $left = @($e.MetricsLeftOut | ForEach-Object { if ($_.Message -match 'output_transform of (\S+)') { $Matches[1] } })
        if ($left) { $metrics += " (left out: $($left -join ', '))" }
        $first = $findings | Where-Object RuleId -ne 'BundleEvaluationMetricUnsupported' | Select-Object -First 1
        $why = if ($first) { "$($first.File):$($first.Line):$($first.Column): " + ($first.Message -replace '^The evaluation config[^:]*: ', '') } else { '' }
        if ($why.Length -gt 170) { $why = $why.Substring(0, 167) + '...' }
        '| {0} | {1} | {2} | {3} | {4} |' -f $dir.Name, $e.Description, $state, $metrics, ($why -replace '\|', '\|')
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force
}
