<#
.SYNOPSIS
    Runs MdaiClara's bundle reader over every Model Zoo bundle's configs and prints a Markdown table: bundle, whether
    its inference pipeline (preprocessing, inferer, postprocessing) resolves without running Python, and why not (the
    first refused expression, missing reference or unknown _target_).
.EXAMPLE
    dotnet pwsh tools/Survey-ModelZoo.ps1 -Repository /work/.mirror/Project-MONAI+model-zoo/repo
    (a git directory of Project-MONAI/model-zoo; only models/*/configs is read, no weights)
#>
param(
    [Parameter(Mandatory)] [string] $Repository,
    [string] $Commit = 'HEAD'
)
$ErrorActionPreference = 'Stop'
Import-Module (Get-Item (Join-Path $PSScriptRoot '../output/MdaiClara/*/MdaiClara.psd1')).FullName
Import-Module (Join-Path $PSScriptRoot 'ModelZooConfigs.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "zoo-survey-$PID"
$null = New-Item -ItemType Directory -Path $work
try {
    $sha = Export-ModelZooConfig -Repository $Repository -Commit $Commit -Destination $work
    "Project-MONAI/model-zoo @ $($sha.Substring(0, 8)), $((Get-ChildItem (Join-Path $work 'models') -Directory).Count) bundles"
    ''
    '| bundle | inference config | loads | why not (first problem) | MdaiClara transforms/inferer missing (Test-MonaiBundle) |'
    '|---|---|---|---|---|'
    foreach ($dir in Get-ChildItem (Join-Path $work 'models') -Directory | Sort-Object Name) {
        try {
            $b = Get-MonaiBundle -LiteralPath $dir.FullName -WarningAction SilentlyContinue -ErrorAction Stop
            $unknown = @()
            if (-not $b.Pipeline) { $state = 'no'; $why = 'no configs/inference.json or .yaml' }
            elseif ($b.Pipeline.Resolved) { $state = 'yes'; $why = '' }
            else {
                $state = 'refused'
                $p = $b.Pipeline.Problems | Select-Object -First 1
                $why = if ($p) { ('{0}: {1}' -f $p.Position, $p.Message) -replace '\|', '\|' } elseif (-not $b.Pipeline.Inferer) { 'no "inferer" item (nor evaluator::inferer)' } else { 'a pipeline part is not a component' }
            }
            $missing = @(Test-MonaiBundle -LiteralPath $dir.FullName -Detailed | Where-Object { $_.RuleId -in 'BundleUnknownTarget', 'BundleCustomCode', 'BundlePipelineIncomplete' -and "$($_.Severity)" -eq 'Error' } |
                ForEach-Object { if ($_.Message -match "_target_ '([^']+)'") { $Matches[1] } else { $_.RuleId } } | Select-Object -Unique)
            '| {0} | {1} | {2} | {3} | {4} |' -f $dir.Name, ($b.InferenceConfigFile ?? '-'), $state, $why, ($(if ($state -eq 'yes') { if ($missing) { $missing -join ', ' } else { 'none' } } else { '-' }))
        }
        catch {
            '| {0} | - | error | {1} | - |' -f $dir.Name, ($_.Exception.Message -replace '\|', '\|')
        }
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force
}
