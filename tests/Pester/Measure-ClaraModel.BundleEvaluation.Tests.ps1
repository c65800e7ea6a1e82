# Measure-ClaraModel -Bundle on a bundle with an evaluation config (tests/fixtures/bundles/eval-ct-seg: configs/evaluate.json
# over configs/train.json, Model Zoo style): the cases given run through the bundle's validation pipeline and its
# key_metric / additional_metrics come out as MONAI 1.3.2's evaluation workflow computed them (expected/metrics.json,
# made by make_eval_bundle.py), with the MetricsSaver files the config asks for, in the same objects as an MMAR's
# validate.sh measurement.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Bundle = Join-Path $script:RepoRoot 'tests/fixtures/bundles/eval-ct-seg'
    $script:Expected = Get-Content -Raw -LiteralPath (Join-Path $Bundle 'expected/metrics.json') | ConvertFrom-Json
}

Describe 'Measure-ClaraModel -Bundle with an evaluation config' {
    It 'runs the evaluation config on a datalist and reports its metrics as MONAI does' {
        $out = Join-Path $TestDrive 'datalist'
        $results = @(Measure-ClaraModel -Bundle $Bundle -DataList (Join-Path $Bundle 'sample_data/datalist.json') -OutputPath $out -Device Cpu)
        $results.Count | Should -Be 3
        $cases = $results[0..1]
        $cases | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'MdaiClara.ValidationCase' }
        @($cases.Name) | Should -Be @('ct_lps', 'ct_pls')
        $cases[0].ConfigMetrics['val_mean_dice'].Count | Should -Be 2
        $summary = $results[2]
        $summary.PSObject.TypeNames[0] | Should -Be 'MdaiClara.ValidationSummary'
        $summary.KeyMetric | Should -Be 'val_mean_dice'
        [math]::Abs($summary.KeyMetricValue - $Expected.val_mean_dice) | Should -BeLessThan 1e-4
        [math]::Abs($summary.ConfigMetrics['val_accuracy'] - $Expected.val_accuracy) | Should -BeLessThan 1e-4
        (Get-Content -LiteralPath (Join-Path $out 'metrics.csv'))[0] | Should -BeLike 'val_mean_dice,0.679*'
        Test-Path -LiteralPath (Join-Path $out 'val_mean_dice_summary.csv') | Should -BeTrue
        ($summary | Format-List | Out-String) | Should -BeLike '*KeyMetric*val_mean_dice*'
    }

    It 'runs it on images and labels paired by name' {
        $summary = Measure-ClaraModel -Bundle $Bundle -Path (Join-Path $Bundle 'sample_data/*.nii.gz') -LabelPath (Join-Path $Bundle 'sample_labels/*.nii.gz') -OutputPath (Join-Path $TestDrive 'paths') -Device Cpu -Summary
        $summary.Cases | Should -Be 2
        [math]::Abs($summary.KeyMetricValue - $Expected.val_mean_dice) | Should -BeLessThan 1e-4
    }

    It 'says that the datalist is Python, not read, and which parameters give the cases' {
        Measure-ClaraModel -Bundle $Bundle -OutputPath (Join-Path $TestDrive 'none') -Device Cpu -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EvaluationDataListNotRead*'
        $failed[0].Exception.Message | Should -BeLike '*validate#dataset#data at configs/train.json:*:*, the Python expression*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Be 'Give the images and labels with -Path and -LabelPath, or a datalist JSON with -DataList.'
    }

    It 'refuses an evaluation config it cannot read with file, line and column' {
        $copy = Join-Path $TestDrive 'broken'
        Copy-Item -LiteralPath $Bundle -Destination $copy -Recurse
        Set-Content -LiteralPath (Join-Path $copy 'configs/evaluate.json') -Value "{`n  `"validate#inferer`": `"`$make_inferer()`"`n}"
        { Measure-ClaraModel -Bundle $copy -DataList (Join-Path $copy 'sample_data/datalist.json') -OutputPath (Join-Path $TestDrive 'broken-out') -Device Cpu -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*configs/evaluate.json:2:*make_inferer*' -ErrorId 'BundleEvaluationRefused*'
    }
}
