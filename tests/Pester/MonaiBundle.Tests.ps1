BeforeDiscovery {
    # Each case breaks one thing in a copy of the golden CT bundle and names the finding Test-MonaiBundle must report.
    $script:Cases = @(
        @{ Severity = 'Error'; Rule = 'BundleRequiredFile'; Text = 'no configs/metadata.json'; Line = 0; Break = { param($b) Remove-Item "$b/configs/metadata.json" } }
        @{ Severity = 'Error'; Rule = 'BundleConfigSyntax'; Text = 'inference.json is not valid JSON'; Line = 3; Break = { param($b) Set-Content "$b/configs/inference.json" "{`n  `"a`": 1`n  `"b`": 2`n}" } }
        @{ Severity = 'Error'; Rule = 'BundleMetadataField'; Text = 'no "monai_version"'; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/metadata.json" monai_version -Remove } }
        @{ Severity = 'Error'; Rule = 'BundleMetadataField'; Text = '"version" is a list'; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/metadata.json" version @(1, 2) } }
        @{ Severity = 'Error'; Rule = 'BundleMonaiVersion'; Text = 'banana'; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/metadata.json" monai_version 'banana' } }
        @{ Severity = 'Error'; Rule = 'BundleUnresolvedReference'; Text = "'@no_such_item'"; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/inference.json" inferer @{ _target_ = 'SimpleInferer'; x = '@no_such_item' } } }
        @{ Severity = 'Error'; Rule = 'BundleExpressionRefused'; Text = 'lambda'; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/inference.json" inferer @{ _target_ = 'SimpleInferer'; x = '$lambda x: x' } } }
        @{ Severity = 'Error'; Rule = 'BundleCustomCode'; Text = 'scripts/'; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/inference.json" inferer @{ _target_ = 'scripts.MyInferer' } } }
        @{ Severity = 'Error'; Rule = 'BundleUnknownTarget'; Text = "'SaveClassificationd'"; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/inference.json" postprocessing @{ _target_ = 'Compose'; transforms = @(@{ _target_ = 'SaveClassificationd'; keys = 'pred' }) } } }
        @{ Severity = 'Error'; Rule = 'BundleCheckpointOnly'; Text = 'ckpt_export|only models/model.pt'; Line = 0; Break = { param($b) Remove-Item "$b/models/model.ts"; Set-Content "$b/models/model.pt" 'checkpoint' } }
        @{ Severity = 'Error'; Rule = 'BundleTorchScriptMissing'; Text = 'no model file'; Line = 0; Break = { param($b) Remove-Item "$b/models/model.ts" } }
        @{ Severity = 'Warning'; Rule = 'BundlePathEscapesBundle'; Text = "climbs out"; Line = 0; Break = { param($b) Set-JsonValue "$b/configs/inference.json" output_dir '../../elsewhere' } }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Golden = Join-Path $Fixtures 'bundles/golden-ct-seg'
    $script:ZooStyle = Join-Path $Fixtures 'bundles/zoo-style'
    function New-BundleCopy([string] $Name) {
        $copy = Join-Path $TestDrive $Name
        Copy-Item -LiteralPath $Golden -Destination $copy -Recurse
        $copy
    }
}

Describe 'Get-MonaiBundle' {
    It 'reads the golden bundle: names, versions, task, channels, labels, model file and pipeline' {
        $b = Get-MonaiBundle $Golden
        $b.PSObject.TypeNames[0] | Should -Be 'MdaiClara.MonaiBundle'
        $b.Name | Should -Be 'Golden CT segmentation'
        $b.MonaiVersion | Should -Be '1.3.2'
        "$($b.Task)" | Should -Be 'Segmentation'
        $b.InputChannels | Should -Be 1
        $b.OutputChannels | Should -Be 3
        $b.Labels | Should -Be @('background', 'organ', 'lesion')
        $b.TorchScript.Sha256 | Should -Be (Get-FileHash "$Golden/models/model.ts" -Algorithm SHA256).Hash.ToLowerInvariant()
        ($b.Pipeline.PreTransforms | ForEach-Object ShortName) -join ',' | Should -Be 'LoadImaged,EnsureChannelFirstd,Orientationd,Spacingd,ScaleIntensityRanged,EnsureTyped'
        $b.Pipeline.Inferer.Component.Target | Should -Be 'SlidingWindowInferer'
        $b.Pipeline.Resolved | Should -BeTrue
    }

    It 'gives every derived value with its source' {
        $d = (Get-MonaiBundle $Golden).Derived
        ($d | Where-Object Name -eq 'InputChannels').Source | Should -Match '^configs/metadata.json:\d+:\d+ network_data_format.inputs.image.num_channels'
        ($d | Where-Object Name -eq 'MonaiVersion').Value | Should -Be '1.3.2'
        $d | ForEach-Object { $_.Source | Should -Not -BeNullOrEmpty }
    }

    It 'opens a zipped bundle (one top folder, as the Model Zoo ships them)' {
        $zip = Join-Path $TestDrive 'golden.zip'
        Compress-Archive -Path $Golden -DestinationPath $zip
        $b = Get-MonaiBundle $zip
        $b.Name | Should -Be 'Golden CT segmentation'
        $b.TorchScript.Bytes | Should -Be (Get-Item "$Golden/models/model.ts").Length
    }

    It 'reads config-only bundles in the Model Zoo idiom and warns about what it refuses, with where' {
        $bundles = Get-ChildItem $ZooStyle -Directory | Get-MonaiBundle -WarningVariable warnings -WarningAction SilentlyContinue
        $bundles.Count | Should -Be 3
        ($bundles | Where-Object Name -eq 'Zoo-style brain MRI segmentation').Pipeline.Resolved | Should -BeFalse
        ($bundles | Where-Object Name -eq 'Zoo-style liver CT segmentation').Pipeline.Resolved | Should -BeTrue
        $composed = $bundles | Where-Object Name -eq 'Zoo-style spleen CT segmentation, nested Composes'
        $composed.Pipeline.Resolved | Should -BeTrue
        ($composed.Pipeline.PreTransforms | Where-Object { -not $_.Disabled } | ForEach-Object ShortName) -join ',' |
            Should -BeExactly 'LoadImaged,EnsureChannelFirstd,Orientationd,Spacingd,ScaleIntensityRanged,EnsureTyped'
        ($composed.Derived | Where-Object Name -eq 'MonaiSemantics').Value | Should -BeExactly 'MONAI 1.x (as 1.3.2)'
        "$warnings" | Should -Match 'configs/inference.json:\d+:\d+: .*lambda'
    }

    It 'names a folder that is not a bundle' {
        $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'not-a-bundle')
        Get-MonaiBundle $empty -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^BundleNotRecognized'
    }

    It 'formats as a table and a list' {
        (Get-MonaiBundle $Golden | Format-Table | Out-String) | Should -Match 'Golden CT segmentation'
        (Get-MonaiBundle $Golden | Format-List | Out-String) | Should -Match 'PreTransforms\s*:\s*LoadImaged > EnsureChannelFirstd'
    }
}

Describe 'Test-MonaiBundle' {
    It 'returns $true for the golden bundle, by path and from Get-MonaiBundle' {
        Test-MonaiBundle $Golden | Should -BeExactly $true
        Get-MonaiBundle $Golden | Test-MonaiBundle | Should -BeExactly $true
    }

    It 'runs the forward pass with the declared input shape with -Deep' {
        $deep = Test-MonaiBundle $Golden -Deep -Detailed | Where-Object RuleId -eq 'DeepForward'
        "$($deep.Severity)" | Should -Be 'Information'
        $deep.Message | Should -Match 'gave \[1, 3, 24, 24, 16\]'
        $deep.Message | Should -Match 'declared spatial_shape'
    }

    It 'finds a channel mismatch with -Deep' {
        $b = New-BundleCopy 'mismatch'
        $meta = Get-Content "$b/configs/metadata.json" -Raw | ConvertFrom-Json -AsHashtable
        $meta.network_data_format.outputs.pred.num_channels = 2
        $meta | ConvertTo-Json -Depth 32 | Set-Content "$b/configs/metadata.json"
        Test-MonaiBundle $b | Should -BeExactly $true
        Test-MonaiBundle $b -Deep | Should -BeExactly $false
        (Test-MonaiBundle $b -Deep -Detailed | Where-Object RuleId -eq 'DeepOutputChannels').Message | Should -Match 'outputs 3 channels but the MONAI bundle declares 2'
    }

    It 'reports <Rule> as <Severity> (<Text>)' -ForEach $Cases {
        $b = New-BundleCopy "case-$Rule-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        & $Break $b
        Test-MonaiBundle $b | Should -BeExactly ($Severity -ne 'Error')
        $found = @(Test-MonaiBundle -LiteralPath $b -Detailed | Where-Object RuleId -eq $Rule)
        $found | Should -Not -BeNullOrEmpty
        "$($found[0].Severity)" | Should -Be $Severity
        ($found.Message -join ' ') | Should -Match $Text
        if ($Line -gt 0) { $found[0].Line | Should -Be $Line }
        $found[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.BundleFinding'
    }

    It 'gives the ckpt_export command for a bundle with only models/model.pt' {
        $b = New-BundleCopy 'ckpt'
        Remove-Item "$b/models/model.ts"
        Set-Content "$b/models/model.pt" 'checkpoint'
        $f = Test-MonaiBundle $b -Detailed | Where-Object RuleId -eq 'BundleCheckpointOnly'
        $f.Remedy | Should -BeExactly 'python -m monai.bundle ckpt_export network_def --filepath models/model.ts --ckpt_file models/model.pt --meta_file configs/metadata.json --config_file configs/inference.json'
        (Test-MonaiBundle $b -Detailed | Format-Table | Out-String -Width 400) | Should -Match 'Run: python -m monai.bundle ckpt_export'
    }
}
