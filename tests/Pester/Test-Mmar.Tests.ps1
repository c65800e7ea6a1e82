BeforeDiscovery {
    # Each case breaks one thing in a copy of the sample MMAR and names the finding Test-Mmar must report.
    $script:Cases = @(
        @{ Rule = 'RequiredFile'; Severity = 'Error'; Text = 'environment.json is missing'; Break = { param($m) Remove-Item "$m/config/environment.json" } }
        @{ Rule = 'RequiredFile'; Severity = 'Error'; Text = 'commands/infer.sh is missing'; Break = { param($m) Remove-Item "$m/commands/infer.sh" } }
        @{ Rule = 'RequiredFile'; Severity = 'Error'; Text = 'set_env.sh'; Break = { param($m) Remove-Item "$m/commands/set_env.sh" } }
        @{ Rule = 'JsonSyntax'; Severity = 'Error'; Text = 'line 3, column 3'; Break = { param($m) Set-Content "$m/config/environment.json" "{`n  `"DATA_ROOT`": `"/data`"`n  `"DATASET_JSON`": `"config/dataset_0.json`"`n}" } }
        @{ Rule = 'JsonStructure'; Severity = 'Error'; Text = 'must be a list'; Break = { param($m) Set-JsonValue "$m/config/config_inference.json" pre_transforms 'LoadImaged' } }
        @{ Rule = 'JsonDuplicateKey'; Severity = 'Warning'; Text = "'/a'"; Break = { param($m) Set-Content "$m/config/extra.json" '{"a": 1, "a": 2}' } }
        @{ Rule = 'PathEscapesMmar'; Severity = 'Error'; Text = "MMAR_TORCHSCRIPT = '../model.ts'"; Break = { param($m) Set-JsonValue "$m/config/environment.json" MMAR_TORCHSCRIPT '../model.ts' } }
        @{ Rule = 'PathEscapesMmar'; Severity = 'Error'; Text = 'is absolute'; Break = { param($m) Set-JsonValue "$m/config/environment.json" MMAR_CKPT '/opt/model.pt' } }
        @{ Rule = 'DataPathOutside'; Severity = 'Information'; Text = "DATASET_JSON = '/data/dataset.json'"; Break = { param($m) Set-JsonValue "$m/config/environment.json" DATASET_JSON '/data/dataset.json' } }
        @{ Rule = 'DataListUnchecked'; Severity = 'Information'; Text = 'cannot be checked here'; Break = { param($m) Set-JsonValue "$m/config/environment.json" DATASET_JSON '/data/dataset.json' } }
        @{ Rule = 'UnresolvedVariable'; Severity = 'Error'; Text = '{NO_SUCH_VAR}'; Break = { param($m) Set-JsonValue "$m/config/config_inference.json" model @{ ts_path = '{NO_SUCH_VAR}' } } }
        @{ Rule = 'UnresolvedVariable'; Severity = 'Warning'; Text = '{NO_TAG}'; Break = { param($m) Set-JsonValue "$m/config/config_inference.json" handlers @(@{ name = 'StatsHandler'; args = @{ tag_name = '{NO_TAG}' } }) } }
        @{ Rule = 'FileUnreadable'; Severity = 'Error'; Text = 'more than the'; Break = {
                param($m)
                $f = [IO.File]::Create("$m/config/config_inference.json"); $f.SetLength(64MB + 1); $f.Dispose()
            }
        }
        @{ Rule = 'JsonSyntax'; Severity = 'Warning'; Text = 'Inference does not read it'; Break = { param($m) Set-Content "$m/config/config_train.json" '{"a": 1,}' } }
        @{ Rule = 'ShellArgumentIgnored'; Severity = 'Information'; Text = '$(pwd)'; Break = { param($m) Add-Content "$m/commands/infer.sh" "`npython3 -m medl.apps.evaluate -m `$MMAR_ROOT -c config/config_inference.json --set DATA_ROOT=`$(pwd)/data" } }
        @{ Rule = 'TorchScriptMissing'; Severity = 'Error'; Text = 'does not exist'; Break = { param($m) Remove-Item "$m/models/model.ts" } }
        @{ Rule = 'TorchScriptMalformed'; Severity = 'Error'; Text = 'torch.save checkpoint'; Break = { param($m) Copy-Item "$Fixtures/torchscript/checkpoint_state_dict.pt" "$m/models/model.ts" -Force } }
        @{ Rule = 'PickleCheckpointOnly'; Severity = 'Error'; Text = 'never loads pickles'; Break = {
                param($m)
                Remove-Item "$m/models/model.ts"
                Copy-Item "$Fixtures/torchscript/checkpoint_legacy.pt" "$m/models/model.pt"
                Set-JsonValue "$m/config/environment.json" MMAR_CKPT 'models/model.pt'
            }
        }
        @{ Rule = 'CheckpointSelected'; Severity = 'Warning'; Text = 'loads the checkpoint'; Break = {
                param($m)
                Copy-Item "$Fixtures/torchscript/checkpoint_state_dict.pt" "$m/models/model.pt"
                Set-JsonValue "$m/config/environment.json" MMAR_CKPT 'models/model.pt'
                Set-JsonValue "$m/config/config_inference.json" model @(@{ ts_path = '{MMAR_TORCHSCRIPT}'; disabled = $true }, @{ ckpt_path = '{MMAR_CKPT}' })
            }
        }
        @{ Rule = 'MdaiClaraVersion'; Severity = 'Warning'; Text = 'Clara 4.1 container'; Break = {
                param($m)
                foreach ($f in Get-ChildItem "$m/config" -Filter '*.json' | Where-Object Name -in 'environment.json', 'config_inference.json', 'config_validation.json') {
                    Set-JsonValue $f.FullName CLARA_TRAIN_VERSION '4.0.0'
                }
            }
        }
        @{ Rule = 'ClaraVersionUnknown'; Severity = 'Error'; Text = 'Cannot tell'; Break = {
                param($m)
                Get-ChildItem "$m/config" -Filter *.json | ForEach-Object { Set-Content $_.FullName '{}' }
                Set-Content "$m/commands/infer.sh" 'echo nothing'
                Remove-Item "$m/models/model.ts"
            }
        }
        @{ Rule = 'DatasetJsonMissing'; Severity = 'Error'; Text = 'does not exist'; Break = { param($m) Remove-Item "$m/config/dataset_0.json" } }
        @{ Rule = 'DataListKeyMissing'; Severity = 'Error'; Text = "'testing'"; Break = { param($m) Set-JsonValue "$m/config/environment.json" INFER_DATALIST_KEY 'testing' } }
        @{ Rule = 'DataListKeyUnknown'; Severity = 'Warning'; Text = 'INFER_DATALIST_KEY'; Break = {
                param($m)
                Set-JsonValue "$m/config/environment.json" INFER_DATALIST_KEY -Remove
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                $c.dataset.Remove('data_list_key')
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'UnknownTransform'; Severity = 'Error'; Text = "'RandFancyd'"; Break = {
                param($m)
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                $c.pre_transforms += @{ name = 'RandFancyd'; args = @{ keys = 'image' } }
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'UnknownInferer'; Severity = 'Error'; Text = "'PatchInferer'"; Break = { param($m) Set-JsonValue "$m/config/config_inference.json" inferer @{ name = 'PatchInferer'; args = @{} } } }
        @{ Rule = 'UnknownHandler'; Severity = 'Warning'; Text = "'ProbMapProducer'"; Break = { param($m) Set-JsonValue "$m/config/config_inference.json" handlers @(@{ name = 'ProbMapProducer'; args = @{} }) } }
        @{ Rule = 'CustomCode'; Severity = 'Error'; Text = 'custom.mine.Fix'; Break = {
                param($m)
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                $c.post_transforms += @{ path = 'custom.mine.Fix'; args = @{} }
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'InferencePipelineIncomplete'; Severity = 'Error'; Text = 'input is never read'; Break = {
                param($m)
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                $c.pre_transforms = @($c.pre_transforms | Select-Object -Skip 1)
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'InferenceArgumentInvalid'; Severity = 'Error'; Text = "'roi_size' is missing"; Break = { param($m) Set-JsonValue "$m/config/config_inference.json" inferer @{ name = 'SlidingWindowInferer'; args = @{ sw_batch_size = 1 } } } }
        @{ Rule = 'ClaraGenerationMismatch'; Severity = 'Error'; Text = "will not run on MD.ai's Clara 4.1 image"; Break = {
                param($m)
                Set-JsonValue "$m/config/config_inference.json" handlers @(@{ name = 'SegmentationSaver'; args = @{ output_dir = '{MMAR_EVAL_OUTPUT_PATH}'; batch_transform = "lambda x: x['image_meta_dict']"; output_transform = "lambda x: x['pred']" } })
            }
        }
        @{ Rule = 'ResultNotSaved'; Severity = 'Error'; Text = 'saves no label map'; Break = {
                param($m)
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                $c.post_transforms = @($c.post_transforms | Where-Object { $_.name -ne 'SaveImaged' })
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'ResultOutsideEvalOutput'; Severity = 'Error'; Text = "writes to './predictions'"; Break = {
                param($m)
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                ($c.post_transforms | Where-Object { $_.name -eq 'SaveImaged' }).args.output_dir = './predictions'
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'SaverOutputUnreadable'; Severity = 'Error'; Text = 'sigmoid probabilities of 3 independent classes'; Break = {
                param($m)
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                $c.post_transforms = @($c.post_transforms | Where-Object { $_.name -ne 'AsDiscreted' } | ForEach-Object { if ($_.name -eq 'Activationsd') { $_.args.Remove('softmax'); $_.args.sigmoid = $true }; $_ })
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'NotAutomaticModel'; Severity = 'Error'; Text = 'AddExtremePointsChanneld adds 1 guidance channel'; Break = {
                param($m)
                $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
                $c.pre_transforms += @{ name = 'AddExtremePointsChanneld'; args = @{ keys = 'image'; label_key = 'label'; sigma = 3 } }
                $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
            }
        }
        @{ Rule = 'InferencePipelineIncomplete'; Severity = 'Error'; Text = 'no inferer'; Break = { param($m) Set-JsonValue "$m/config/config_inference.json" inferer -Remove } }
        @{ Rule = 'OutputChannelsUnknown'; Severity = 'Warning'; Text = 'OUTPUT_CHANNELS'; Break = { param($m) Set-JsonValue "$m/config/environment.json" OUTPUT_CHANNELS -Remove } }
        @{ Rule = 'MdaiEnvironmentKeys'; Severity = 'Information'; Text = 'missing here: OUTPUT_CHANNELS'; Break = { param($m) Set-JsonValue "$m/config/environment.json" OUTPUT_CHANNELS -Remove } }
        @{ Rule = 'InputChannelsAssumed'; Severity = 'Information'; Text = '1 is assumed'; Break = { param($m) Set-JsonValue "$m/config/environment.json" INPUT_CHANNELS -Remove } }
        @{ Rule = 'TaskUnknown'; Severity = 'Error'; Text = "'detection'"; Break = { param($m) Set-JsonValue "$m/config/environment.json" PROCESSING_TASK 'detection' } }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Test-Mmar on the sample' {
    It 'returns $true for the sample MMAR' {
        Test-Mmar $SampleMmar | Should -BeExactly $true
    }

    It 'reports no errors or warnings with -Detailed, only information' {
        $findings = Test-Mmar $SampleMmar -Detailed
        $findings | Should -Not -BeNullOrEmpty
        $findings | Where-Object Severity -ne 'Information' | Should -BeNullOrEmpty
        $findings[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.MmarFinding'
        $findings[0].PSObject.Properties.Name | Should -Contain 'RuleId'
        foreach ($p in 'Severity', 'Message', 'File', 'Line', 'Column') { $findings[0].PSObject.Properties.Name | Should -Contain $p }
    }

    It 'accepts Get-Mmar objects from the pipeline and positionally' {
        $m = Get-Mmar $SampleMmar
        $m | Test-Mmar | Should -BeExactly $true
        Test-Mmar $m | Should -BeExactly $true
    }

    It 'runs the TorchScript with -Deep and checks its channels' {
        $deep = Test-Mmar $SampleMmar -Deep -Detailed | Where-Object RuleId -eq 'DeepForward'
        "$($deep.Severity)" | Should -Be 'Information'
        $deep.Message | Should -Match 'gave \[1, 3, 64, 64, 32\]'
    }

    It 'runs a TorchScript fixture through TorchSharp on the CPU' {
        $m = New-SampleCopy 'fixture-model'
        Copy-Item "$Fixtures/torchscript/conv3d_1to2.ts" "$m/models/model.ts" -Force
        Set-JsonValue "$m/config/environment.json" OUTPUT_CHANNELS 2
        $deep = Test-Mmar $m -Deep -Detailed | Where-Object RuleId -eq 'DeepForward'
        "$($deep.Severity)" | Should -Be 'Information'
        $deep.Message | Should -Match 'gave \[1, 2, 64, 64, 32\]'
        $deep.Message | Should -Match 'on cpu'
    }

    It 'finds a channel mismatch with -Deep' {
        $m = New-SampleCopy 'mismatch'
        Set-JsonValue "$m/config/environment.json" OUTPUT_CHANNELS 2
        Test-Mmar $m | Should -BeExactly $true
        Test-Mmar $m -Deep | Should -BeExactly $false
        $finding = Get-Finding -Path $m -RuleId DeepOutputChannels -Deep
        "$($finding.Severity)" | Should -Be 'Error'
        $finding.Message | Should -Match 'outputs 3 channels but the MMAR declares 2'
    }

    It 'finds a model that cannot take the configured input with -Deep' {
        $m = New-SampleCopy 'two-channels'
        Set-JsonValue "$m/config/environment.json" INPUT_CHANNELS 2
        $finding = Get-Finding -Path $m -RuleId DeepForward -Deep
        "$($finding.Severity)" | Should -Be 'Error'
        $finding.Message | Should -Match 'shape \[1, 2, 64, 64, 32\]'
    }

    It 'stops with CudaUnavailable when CUDA is asked for on this CPU build' {
        { Test-Mmar $SampleMmar -Deep -Device Cuda } | Should -Throw -ErrorId 'CudaUnavailable,MdaiClara.Cmdlets.Commands.TestMmarCommand'
        $verbose = try { Test-Mmar $SampleMmar -Deep -Device Cuda -Verbose 4>&1 } catch { $message = $_.ToString() }
        $message | Should -Match 'CUDA is not available here: this MdaiClara build carries the CPU-only libtorch'
        $message | Should -Match 'Use -Device Cpu'  # the remedy names the cmdlet's own parameter
        # -Verbose carries TorchSharp's own account of the attempt.
        ($verbose | ForEach-Object { "$_" }) -join "`n" | Should -Match 'CUDA did not initialise'
    }

    It 'stops with DeviceInvalid for a device that does not exist' {
        { Test-Mmar $SampleMmar -Device tpu } | Should -Throw -ErrorId 'DeviceInvalid,MdaiClara.Cmdlets.Commands.TestMmarCommand'
    }

    It 'reports a missing MMAR as an error and goes on with the next' {
        $results = Test-Mmar (Join-Path $TestDrive 'nope'), $SampleMmar -ErrorVariable errors -ErrorAction SilentlyContinue
        @($results) | Should -Be @($true)
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarNotFound,*'
    }

    It 'returns $false, not an error, for a broken MMAR' {
        $m = New-SampleCopy 'false'
        Remove-Item "$m/models/model.ts"
        Test-Mmar $m -ErrorVariable errors | Should -BeExactly $false
        $errors | Should -BeNullOrEmpty
    }

    It 'tests a Clara 4.0 MMAR as valid, with a warning' {
        $m = New-SampleCopy 'clara40'
        foreach ($f in 'environment.json', 'config_inference.json', 'config_validation.json', 'config_train.json') { Set-JsonValue "$m/config/$f" CLARA_TRAIN_VERSION '4.0.0' }
        Test-Mmar $m | Should -BeExactly $true
        (Get-Finding -Path $m -RuleId MdaiClaraVersion).Severity | Should -Be 'Warning'
    }

    It 'fails a Clara 4.0 saver handler for MD.ai''s Clara 4.1 image, and packaging names Repair-Mmar only where it migrates' {
        $m = New-SampleCopy 'clara40-handlers'
        Set-JsonValue "$m/config/config_inference.json" handlers @(@{ name = 'SegmentationSaver'; args = @{ output_dir = '{MMAR_EVAL_OUTPUT_PATH}'; batch_transform = "lambda x: x['image_meta_dict']" } })
        Test-Mmar $m | Should -BeExactly $false
        $finding = Get-Finding -Path $m -RuleId ClaraGenerationMismatch
        "$($finding.Severity)" | Should -Be 'Error'
        $finding.Message | Should -Match 'list indices must be integers or slices, not str'
        $finding.File | Should -Be 'config/config_inference.json'
        $finding.Line | Should -BeGreaterThan 0
        $err = $null
        New-MdaiModelPackage -Mmar $m -OutputPath (Join-Path $TestDrive 'c40.zip') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MdaiPackageRefused,*'
        $err[0].ErrorDetails.Message | Should -Match 'ClaraGenerationMismatch'
        Test-Path -LiteralPath (Join-Path $TestDrive 'c40.zip') | Should -BeFalse
        # Repair-Mmar is named only where its plan really migrates the config. This handler sits beside the sample's
        # SaveImaged, which the migration does not take apart: Repair-Mmar leaves it, so no remedy names it.
        $err[0].ErrorDetails.RecommendedAction | Should -BeNullOrEmpty
        $null = Repair-Mmar -Mmar $m -Destination (Join-Path $TestDrive 'c40-repaired') -WarningAction SilentlyContinue
        @(Test-Mmar (Join-Path $TestDrive 'c40-repaired') -Detailed | Where-Object RuleId -eq ClaraGenerationMismatch).Count | Should -BeGreaterThan 0
    }

    It 'agrees with New-MdaiModelPackage and Invoke-ClaraInference on an MMAR both refuse' {
        $m = New-SampleCopy 'refused-by-both'
        $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
        $c.pre_transforms = @($c.pre_transforms | Select-Object -Skip 1)
        $c.post_transforms = @($c.post_transforms | Where-Object { $_.name -ne 'SaveImaged' })
        $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
        Test-Mmar $m | Should -BeExactly $false
        $rules = (Test-Mmar $m -Detailed | Where-Object Severity -eq 'Error').RuleId
        $rules | Should -Contain 'InferencePipelineIncomplete'
        $rules | Should -Contain 'ResultNotSaved'
        { New-MdaiModelPackage -Mmar $m -OutputPath (Join-Path $TestDrive 'both.zip') -ErrorAction Stop } | Should -Throw -ErrorId 'MdaiPackageRefused,*' -ExpectedMessage '*InferencePipelineIncomplete*ResultNotSaved*'
        { Invoke-ClaraInference -Mmar $m -Path (Join-Path $RepoRoot 'samples/phantom/phantom_ct.nii.gz') -ErrorAction Stop } | Should -Throw -ExpectedMessage '*input is never read*'
    }

    It 'says an interactive model is not deployable and Get-Mmar counts the channel it adds' {
        $m = New-SampleCopy 'extreme-points'
        $c = Get-Content "$m/config/config_inference.json" -Raw | ConvertFrom-Json -AsHashtable
        $c.pre_transforms[0].args['keys'] = @('image', 'label')
        $c.pre_transforms += @{ name = 'AddExtremePointsChanneld'; args = @{ keys = 'image'; label_key = 'label'; sigma = 3 } }
        $c | ConvertTo-Json -Depth 32 | Set-Content "$m/config/config_inference.json"
        Test-Mmar $m | Should -BeExactly $false
        $reasons = (Get-Finding -Path $m -RuleId NotAutomaticModel).Message -join "`n"
        $reasons | Should -Match "loads 'label' besides the image"
        $reasons | Should -Match 'AddExtremePointsChanneld adds 1 guidance channel'
        # INPUT_CHANNELS 1 cannot hold the image and the added channel: Get-Mmar says it cannot tell.
        $info = Get-Mmar $m
        $info.InputChannels | Should -BeNullOrEmpty
        $info.InputChannelsSource | Should -BeLike 'cannot tell: INPUT_CHANNELS*says 1, but AddExtremePointsChanneld*'
        Set-JsonValue "$m/config/environment.json" INPUT_CHANNELS -Remove
        (Get-Mmar $m).InputChannels | Should -Be 2
    }

    It 'cites the infer.sh line that sets MMAR_TORCHSCRIPT when that model is missing' {
        $m = New-SampleCopy 'set-ts'
        $script = Get-Content "$m/commands/infer.sh" -Raw
        $script.Replace("    multi_gpu=False \", "    multi_gpu=False \`n    MMAR_TORCHSCRIPT=models/other.ts \") | Set-Content -NoNewline "$m/commands/infer.sh"
        $line = (Select-String -LiteralPath "$m/commands/infer.sh" -SimpleMatch 'MMAR_TORCHSCRIPT=').LineNumber
        $finding = Get-Finding -Path $m -RuleId TorchScriptMissing
        $finding.File | Should -Be 'commands/infer.sh'
        $finding.Line | Should -Be $line
        $finding.Message | Should -Match 'models/other.ts'
    }

    It 'tests a Clara 3.x TensorFlow MMAR as $false, saying why' {
        $m = Join-Path $TestDrive 'clara3'
        New-Item -ItemType Directory "$m/config", "$m/commands", "$m/models" | Out-Null
        Set-Content "$m/config/environment.json" '{"DATA_ROOT": "/data", "DATASET_JSON": "config/dataset_0.json", "PROCESSING_TASK": "segmentation", "MMAR_CKPT_DIR": "models"}'
        Set-Content "$m/config/dataset_0.json" '{"validation": []}'
        Set-Content "$m/config/config_validation.json" '{"pre_transforms": [{"name": "LoadNifti", "args": {"fields": "image"}}], "inferer": {"name": "TFScanWindowInferer", "args": {"roi_size": [96, 96, 96]}}, "model_loader": {"name": "FrozenGraphModelLoader", "args": {"model_file_path": "{MMAR_CKPT_DIR}/model.trt.pb"}}}'
        Set-Content "$m/commands/infer.sh" 'python -m nvmidl.apps.evaluate -m $MMAR_ROOT -c config/config_validation.json'
        Set-Content "$m/models/model.trt.pb" 'graph'
        Test-Mmar $m | Should -BeExactly $false
        $findings = Test-Mmar $m -Detailed
        ($findings | Where-Object RuleId -eq 'TensorFlowMmar').Message | Should -Match 'cannot run locally'
        ($findings | Where-Object RuleId -eq 'MdaiClaraVersion').Message | Should -Match 'Clara 4\.1\.0 MMARs only'
    }

    It 'names file, line and column of a syntax error' {
        $m = New-SampleCopy 'syntax'
        Set-Content "$m/config/environment.json" "{`n  `"DATA_ROOT`": `"/data`"`n  `"DATASET_JSON`": `"config/dataset_0.json`"`n}"
        $finding = Get-Finding -Path $m -RuleId JsonSyntax | Where-Object Severity -eq 'Error'
        $finding.File | Should -Be 'config/environment.json'
        $finding.Line | Should -Be 3
        $finding.Column | Should -Be 3
    }
}

Describe 'Test-Mmar rule coverage' -ForEach @(@{ CaseRules = @($Cases | ForEach-Object { $_.Rule }) }) {
    It 'has a broken-MMAR case here for every rule the engine defines' {
        # TensorFlowMmar, DeepForward and DeepOutputChannels have their own tests above.
        $covered = $CaseRules + @('TensorFlowMmar', 'DeepForward', 'DeepOutputChannels')
        $rules = [MdaiClara.Engine.Validation.MmarRuleIds].GetFields() | ForEach-Object { $_.GetValue($null) }
        $rules | Where-Object { $_ -notin $covered } | Should -BeNullOrEmpty
    }
}

Describe 'Test-Mmar rule <Rule> (<Severity>): <Text>' -ForEach $Cases {
    It 'is not reported for the sample' {
        $hits = @(Get-Finding -Path $SampleMmar -RuleId $Rule | Where-Object { "$($_.Severity)" -eq $Severity -and $_.Message.Contains($Text) })
        $hits.Count | Should -Be 0
    }

    It 'is reported for a copy broken that way' {
        $m = New-SampleCopy ("case-" + [guid]::NewGuid().ToString('N'))
        & $Break $m
        $hits = @(Get-Finding -Path $m -RuleId $Rule | Where-Object { "$($_.Severity)" -eq $Severity -and $_.Message.Contains($Text) })
        $hits.Count | Should -BeGreaterThan 0 -Because ((Test-Mmar -LiteralPath $m -Detailed | ForEach-Object { "$($_.Severity) $($_.RuleId): $($_.Message)" }) -join "`n")
        if ($Severity -eq 'Error') { Test-Mmar -LiteralPath $m | Should -BeExactly $false }
    }
}
