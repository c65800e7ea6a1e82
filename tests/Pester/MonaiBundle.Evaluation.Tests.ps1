BeforeDiscovery {
    # Each case breaks one thing in the evaluation config of a copy of tests/fixtures/bundles/eval-ct-seg and names the
    # finding Test-MonaiBundle must report: a warning (inference does not read the evaluation config; measuring does).
    $script:Cases = @(
        @{ Rule = 'BundleConfigSyntax'; Text = 'evaluate.json is not valid|not valid JSON|Expected|expected'; File = 'configs/evaluate.json'; Line = 3; Json = "{`n  `"validate#handlers`": []`n  `"run`": []`n}" }
        @{ Rule = 'BundleUnresolvedReference'; Text = "'@no_such_inferer'"; File = 'configs/evaluate.json'; Line = 2; Json = "{`n  `"validate#inferer`": `"@no_such_inferer`"`n}" }
        @{ Rule = 'BundleUnresolvedReference'; Text = "'validate#loader#batch_size' sets an item inside 'validate::loader'"; File = 'configs/evaluate.json'; Line = 2; Json = "{`n  `"validate#loader#batch_size`": 2`n}" }
        @{ Rule = 'BundleExpressionRefused'; Text = 'lambda'; File = 'configs/evaluate.json'; Line = 3; Json = "{`n  `"validate#inferer`": {`"_target_`": `"SimpleInferer`",`n    `"x`": `"`$lambda x: x`"}`n}" }
        @{ Rule = 'BundleUnknownTarget'; Text = "'SplitDimd'"; File = 'configs/evaluate.json'; Line = 2; Json = "{`n  `"validate#postprocessing`": {`"_target_`": `"Compose`", `"transforms`": [{`"_target_`": `"SplitDimd`", `"keys`": `"pred`"}]}`n}" }
        @{ Rule = 'BundleEvaluationMetricUnsupported'; Text = "val_tc_dice.*pred_tc"; File = 'configs/evaluate.json'; Line = 3; Json = "{`n  `"validate#additional_metrics`": {`"val_tc_dice`": {`"_target_`": `"MeanDice`",`n    `"output_transform`": `"`$monai.handlers.from_engine(['pred_tc', 'label_tc'])`"}}`n}" }
        @{ Rule = 'BundleEvaluationMetricUnsupported'; Text = 'val_auc.*ROCAUC'; File = 'configs/evaluate.json'; Line = 2; Json = "{`n  `"validate#additional_metrics`": {`"val_auc`": {`"_target_`": `"ROCAUC`"}}`n}" }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:EvalBundle = Join-Path $Fixtures 'bundles/eval-ct-seg'
}

Describe 'Test-MonaiBundle on a bundle with an evaluation config' {
    It 'finds nothing to report in a sound one' {
        Test-MonaiBundle $EvalBundle | Should -BeExactly $true
        @(Test-MonaiBundle $EvalBundle -Detailed | Where-Object Severity -ne 'Information') | Should -BeNullOrEmpty
    }

    It 'reports <Rule> in the evaluation config as a warning, with where (<Text>)' -ForEach $Cases {
        $b = Join-Path $TestDrive "eval-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        Copy-Item -LiteralPath $EvalBundle -Destination $b -Recurse
        Set-Content -LiteralPath (Join-Path $b 'configs/evaluate.json') -Value $Json
        Test-MonaiBundle $b | Should -BeExactly $true
        $found = @(Test-MonaiBundle -LiteralPath $b -Detailed | Where-Object RuleId -eq $Rule)
        $found | Should -Not -BeNullOrEmpty
        "$($found[0].Severity)" | Should -Be 'Warning'
        ($found.Message -join ' ') | Should -Match $Text
        $found[0].File | Should -Be $File
        $found[0].Line | Should -Be $Line
        $found[0].Column | Should -BeGreaterThan 0
    }
}
