BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'
    $script:Ct = Join-Path $Phantom 'phantom_ct.nii.gz'
    $script:Truth = Join-Path $Phantom 'phantom_truth.nii.gz'

    function New-DataRoot {
        # The sample MMAR's validation datalist (imagesTr/labelsTr/phantom_020..023) laid out with the phantom; -Missing items are left out.
        param([string] $Name, [int[]] $Missing = @())
        $root = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory -Path (Join-Path $root 'imagesTr'), (Join-Path $root 'labelsTr') -Force
        foreach ($n in 20..23) {
            if ($Missing -contains $n) { continue }
            Copy-Item -LiteralPath $Ct -Destination (Join-Path $root "imagesTr/phantom_0$n.nii.gz")
            Copy-Item -LiteralPath $Truth -Destination (Join-Path $root "labelsTr/phantom_0$n.nii.gz")
        }
        $root
    }

    $script:Out = Join-Path $TestDrive 'paths-out'
    $script:PathCases = @(Measure-ClaraModel -Mmar $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath $Out -Device Cpu)
}

Describe 'Measure-ClaraModel' {
    It 'streams a ValidationCase per case, then one ValidationSummary' {
        $PathCases.Count | Should -Be 2
        $PathCases[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.ValidationCase'
        $PathCases[1].PSObject.TypeNames[0] | Should -Be 'MdaiClara.ValidationSummary'
        $case = $PathCases[0]
        $case.Name | Should -Be 'phantom_ct'
        @($case.Classes.Name) | Should -Be @('organ', 'lesion')
        $case.DiceOf('Organ') | Should -BeGreaterThan 0.9
        $case.PredictionFile | Should -Be (Join-Path $Out 'phantom_ct_seg.nii.gz')
        Test-Path -LiteralPath $case.PredictionFile | Should -BeTrue
    }

    It 'reaches each class of the summary by name, case-insensitively' {
        $summary = $PathCases[1]
        $summary.Cases | Should -Be 1
        $summary.Classes['organ'].MeanDice | Should -Be $PathCases[0].DiceOf('organ')
        $summary.Classes['ORGAN'].MeanDice | Should -Be $summary.Classes['organ'].MeanDice
        $summary.Classes['lesion'].Dice.Count | Should -Be 1
    }

    It 'emits only the summary with -Summary, so a runbook can gate on a Dice threshold' {
        $summary = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath (Join-Path $TestDrive 'gate') -Summary -Device Cpu
        @($summary).Count | Should -Be 1
        $summary.Classes['organ'].MeanDice | Should -BeGreaterThan 0.9
        $summary.Classes['lesion'].MeanDice | Should -BeGreaterThan 0.7
    }

    It 'runs validate.sh''s pipeline on the validation datalist, naming each item that is missing, and measures the rest' {
        $root = New-DataRoot 'data-missing' -Missing 22
        $results = @(Measure-ClaraModel $SampleMmar -DataRoot $root -OutputPath (Join-Path $TestDrive 'val-out') -Device Cpu -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'GroundTruthItemMissing*'
        $errs[0].ToString() | Should -Match 'phantom_022'
        $cases = @($results | Where-Object { $_.PSObject.TypeNames[0] -eq 'MdaiClara.ValidationCase' })
        $cases.Count | Should -Be 3
        $summary = $results[-1]
        $summary.KeyMetric | Should -Be 'val_mean_dice'
        $summary.KeyMetricValue | Should -BeGreaterThan 0.8
        $summary.Failed | Should -Be 1
        $cases[0].ConfigMetrics['val_mean_dice'].Count | Should -Be 2
        # The config's MetricsSaver, as MONAI writes it, beside the predictions.
        $saved = Join-Path $TestDrive 'val-out'
        @(Get-ChildItem $saved -Filter *.csv | Sort-Object Name | ForEach-Object Name) | Should -Be @('metrics.csv', 'val_mean_dice_raw.csv', 'val_mean_dice_summary.csv')
        (Get-Content (Join-Path $saved 'metrics.csv')) | Should -Match '^val_mean_dice,0\.\d+'
        @(Get-Content (Join-Path $saved 'val_mean_dice_raw.csv')).Count | Should -Be 4
        $summary.Files | Should -Contain (Join-Path $saved 'metrics.csv')
    }

    It 'says where to point -DataRoot when the config''s data root is not on this machine' {
        $null = Measure-ClaraModel $SampleMmar -OutputPath (Join-Path $TestDrive 'no-root') -Device Cpu -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DataListInvalid*'
        $errs[0].ToString() | Should -Match '/workspace/data .*does not exist.*-DataRoot'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match '-DataRoot'
    }

    It 'reads a datalist of one''s own' {
        $root = New-DataRoot 'own-list'
        @{ holdout = @(@{ image = 'imagesTr/phantom_020.nii.gz'; label = 'labelsTr/phantom_020.nii.gz' }) } | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $root 'list.json')
        $summary = Measure-ClaraModel $SampleMmar -DataList (Join-Path $root 'list.json') -DataListKey holdout -OutputPath (Join-Path $TestDrive 'own-out') -Summary -Device Cpu
        $summary.Cases | Should -Be 1
        $summary.GroundTruth | Should -Match 'holdout'
    }

    It 'names images without a label and measures the paired ones' {
        $images = Join-Path $TestDrive 'pair/images'
        $labels = Join-Path $TestDrive 'pair/labels'
        $null = New-Item -ItemType Directory -Path $images, $labels -Force
        Copy-Item $Ct (Join-Path $images 'case1.nii.gz'); Copy-Item $Ct (Join-Path $images 'case2.nii.gz')
        Copy-Item $Truth (Join-Path $labels 'case1_seg.nii.gz')
        $summary = Measure-ClaraModel $SampleMmar -Path $images -LabelPath $labels -OutputPath (Join-Path $TestDrive 'pair-out') -Summary -Device Cpu -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary.Cases | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'GroundTruthUnpaired*'
        $errs[0].ToString() | Should -Match 'case2'
    }

    It 'never writes inside the MMAR' {
        $mmar = New-SampleCopy 'inside'
        { Measure-ClaraModel $mmar -Path $Ct -LabelPath $Truth -OutputPath (Join-Path $mmar 'eval') -Device Cpu -ErrorAction Stop } |
            Should -Throw -ErrorId 'EvaluationOutputInvalid*'
        Test-Path -LiteralPath (Join-Path $mmar 'eval') | Should -BeFalse
    }

    It 'writes into a new folder in the current one by default, and replaces existing files only with -Force' {
        $work = Join-Path $TestDrive 'cwd'
        $null = New-Item -ItemType Directory -Path $work
        Push-Location $work
        try {
            $summary = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -Summary -Device Cpu
            $summary.OutputPath | Should -BeLike (Join-Path $work 'clara_pt_phantom_ct_segmentation_measure_*')
            Test-Path (Join-Path $summary.OutputPath 'phantom_ct_seg.nii.gz') | Should -BeTrue
            $again = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath $summary.OutputPath -Summary -Device Cpu -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists*'
            $forced = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath $summary.OutputPath -Summary -Device Cpu -Force
            $forced.Cases | Should -Be 1
        }
        finally { Pop-Location }
    }

    It 'measures nothing and writes nothing under -WhatIf' {
        $target = Join-Path $TestDrive 'whatif'
        $result = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath $target -WhatIf
        $result | Should -BeNullOrEmpty
        Test-Path -LiteralPath $target | Should -BeFalse
    }

    It 'takes MMARs from the pipeline' {
        $summary = Get-Mmar $SampleMmar | Measure-ClaraModel -Path $Ct -LabelPath $Truth -OutputPath (Join-Path $TestDrive 'piped') -Summary -Device Cpu
        $summary.Model | Should -Be 'clara_pt_phantom_ct_segmentation'
    }

    It 'shows cases and the summary with their views' {
        ($PathCases[0] | Format-Table | Out-String) | Should -Match 'organ Dice 0\.9'
        ($PathCases[1] | Format-List | Out-String) | Should -Match 'organ: Dice 0\.9\d\d \[0\.9'
    }
}

Describe 'A runbook gating a deployment on Dice' {
    # What the README's runbook does: measure, then deliver only when the threshold is reached.
    It 'blocks the deployment when the model is below the threshold, and lets it through above' {
        $measured = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath (Join-Path $TestDrive 'runbook') -Summary -Device Cpu
        $deploy = { param($minimum) if ($measured.Classes['organ'].MeanDice -ge $minimum) { 'deployed' } else { throw "organ Dice $($measured.Classes['organ'].MeanDice) is below $minimum" } }
        & $deploy 0.9 | Should -Be 'deployed'
        { & $deploy 0.999 } | Should -Throw '*below 0.999*'
    }
}

Describe 'Measure-ClaraModel with MD.ai annotations' {
    It 'measures the annotated series against the annotations rasterised on its grid' {
        $export = Join-Path $Fixtures 'evaluation/phantom_annotations.json'
        $fromFile = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath (Join-Path $TestDrive 'ann-file') -Summary -Device Cpu
        $fromAnnotations = Measure-ClaraModel $SampleMmar -Study (Join-Path $Phantom 'dicom') -Annotations $export -LabelMap @{ Organ = 1; Lesion = 2 } -OutputPath (Join-Path $TestDrive 'ann') -Summary -Device Cpu
        $fromAnnotations.Cases | Should -Be 1
        $fromAnnotations.Classes['organ'].MeanDice | Should -BeGreaterThan 0.9
        [math]::Abs($fromAnnotations.Classes['organ'].MeanDice - $fromFile.Classes['organ'].MeanDice) | Should -BeLessThan 1e-3
        $only = Measure-ClaraModel $SampleMmar -Study (Join-Path $Phantom 'dicom') -Annotations $export -LabelName Organ -OutputPath (Join-Path $TestDrive 'ann-one') -Summary -Device Cpu
        $only.Classes['organ'].MeanDice | Should -BeGreaterThan 0.9
    }
}

Describe 'Publish-MdaiModel quality gate' {
    It 'records a passed Quality check when the model reaches the minimum Dice' {
        $r = Publish-MdaiModel -Mmar $SampleMmar -Destination (Join-Path $TestDrive 'deliver-ok') -GroundTruth @{ Path = $Ct; LabelPath = $Truth } -MinimumDice @{ organ = 0.9 } -WhatIf
        $quality = $r.Checks | Where-Object Name -eq 'Quality'
        $quality.Status | Should -Be 'Passed'
        $quality.Detail | Should -Match 'organ Dice 0\.9\d+ \(minimum 0\.9\)'
        ($r.Checks | Where-Object Name -eq 'Deliver').Status | Should -Be 'Skipped'
        $r.Scope | Should -Match 'accuracy on the ground truth given'
    }

    It 'fails the Quality check and stops delivery when the model is below it' {
        $destination = Join-Path $TestDrive 'deliver-blocked'
        $r = Publish-MdaiModel -Mmar $SampleMmar -Destination $destination -GroundTruth @{ Path = $Ct; LabelPath = $Truth } -MinimumDice 0.99 -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Passed | Should -BeFalse
        ($r.Checks | Where-Object Name -eq 'Quality').Status | Should -Be 'Failed'
        ($r.Checks | Where-Object Name -eq 'Quality').Detail | Should -Match 'mean Dice 0\.\d+ < 0\.99'
        $r.Checks.Name | Should -Not -Contain 'Deliver'
        $r.Delivered | Should -BeFalse
        Test-Path -LiteralPath $destination | Should -BeFalse
        $errs[0].ToString() | Should -Match "stopped at 'Quality'"
    }

    It 'names a ground-truth key it does not know, and a minimum out of range' {
        $null = Publish-MdaiModel -Mmar $SampleMmar -Destination (Join-Path $TestDrive 'y') -GroundTruth @{ Images = './x' } -MinimumDice 0.8 -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].ToString() | Should -Match "key 'Images'.*Path, LabelPath"
        $null = Publish-MdaiModel -Mmar $SampleMmar -Destination (Join-Path $TestDrive 'y') -GroundTruth Validation -MinimumDice 1.5 -WhatIf -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2[0].FullyQualifiedErrorId | Should -BeLike 'QualityGateInvalid*'
        $errs2[0].ToString() | Should -Match "-MinimumDice takes a number from 0 to 1"
    }

    It 'refuses a minimum without ground truth' {
        { Publish-MdaiModel -Mmar $SampleMmar -Destination (Join-Path $TestDrive 'x') -MinimumDice 0.8 -WhatIf -ErrorAction Stop } | Should -Throw '*-GroundTruth*'
    }
}

Describe 'Measure-ClaraModel -ReportPath' {
    It 'writes the self-contained report beside the measurement and lists it with the summary''s files' {
        $report = Join-Path $TestDrive 'report.html'
        $summary = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath (Join-Path $TestDrive 'report-out') -ReportPath $report -Summary -Device Cpu
        $summary.Files | Should -Contain $report
        $html = Get-Content -LiteralPath $report -Raw
        $html | Should -Match 'clara_pt_phantom_ct_segmentation'
        $html | Should -Match $summary.ModelSha256
        $html | Should -Match 'phantom_ct'
        $html | Should -Match 'data:image/png;base64,'
        $html | Should -Not -Match '<script src=|https?://(?!www\.w3\.org)'
        $again = Measure-ClaraModel $SampleMmar -Path $Ct -LabelPath $Truth -OutputPath (Join-Path $TestDrive 'report-out2') -ReportPath $report -Summary -Device Cpu -ErrorVariable errs -ErrorAction SilentlyContinue
        $again | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists*'
    }
}
