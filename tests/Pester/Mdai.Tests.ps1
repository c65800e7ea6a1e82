BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $script:PhantomDicom = Join-Path $script:RepoRoot 'samples/phantom/dicom'
    $script:PhantomNifti = Join-Path $script:RepoRoot 'samples/phantom/phantom_ct.nii.gz'

    function Get-ZipEntry {
        # The entries of a zip: name -> text (for small text files) or length.
        param([string] $Path)
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $entries = [ordered]@{}
            foreach ($e in $zip.Entries) {
                if ($e.FullName -match '\.(json|yaml|sh|py|txt)$') {
                    $reader = [System.IO.StreamReader]::new($e.Open())
                    try { $entries[$e.FullName] = $reader.ReadToEnd() } finally { $reader.Dispose() }
                } else {
                    $entries[$e.FullName] = $e.Length
                }
            }
            $entries
        } finally { $zip.Dispose() }
    }
}

Describe 'New-MdaiModelPackage' {
    It 'packages the sample in the Clara 4.1 layout MD.ai builds, and says what it wrote' {
        $zip = Join-Path $TestDrive 'sample.zip'
        $package = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip

        $package.PSObject.TypeNames | Should -Contain 'MdaiClara.MdaiPackage'
        $package.Path | Should -Be $zip
        $package.Sha256 | Should -Be (Get-FileHash -LiteralPath $zip -Algorithm SHA256).Hash.ToLowerInvariant()
        $package.Bytes | Should -Be (Get-Item -LiteralPath $zip).Length
        $entries = Get-ZipEntry $zip
        @($package.Files).Count | Should -Be $entries.Count
        foreach ($required in 'model/.mdai/config.yaml', 'model/.mdai/mdai_deploy.py', 'model/.mdai/requirements.txt',
            'model/workspace/commands/infer.sh', 'model/workspace/config/environment.json', 'model/workspace/models/model.ts') {
            $entries.Keys | Should -Contain $required
        }
        $entries.Keys | Where-Object { $_ -notlike 'model/*' } | Should -BeNullOrEmpty
        $entries['model/workspace/models/model.ts'] | Should -Be (Get-Item (Join-Path $script:SampleMmar 'models/model.ts')).Length
    }

    It 'writes config.yaml with clara_version as the string "4.1.0" and the device type asked for' {
        $zip = Join-Path $TestDrive 'cpu.zip'
        $package = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip -DeviceType Cpu
        $yaml = (Get-ZipEntry $zip)['model/.mdai/config.yaml']
        $yaml | Should -Match '(?m)^base_image: nvidia$'
        $yaml | Should -Match '(?m)^device_type: cpu$'
        $yaml | Should -Match '(?m)^clara_version: "4\.1\.0"$'
        $package.Config.TrimEnd() | Should -Be $yaml.TrimEnd()
    }

    It 'fills environment.json with OUTPUT_CHANNELS, INFER_DATALIST_KEY and DATASET_JSON from the MMAR analysis' {
        $zip = Join-Path $TestDrive 'env.zip'
        $null = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip
        $environment = (Get-ZipEntry $zip)['model/workspace/config/environment.json'] | ConvertFrom-Json
        $environment.OUTPUT_CHANNELS | Should -Be 3
        $environment.INFER_DATALIST_KEY | Should -Be 'test'
        $environment.DATASET_JSON | Should -Be 'config/dataset_0.json'
    }

    It 'gives a byte-identical zip for the same MMAR, from a folder, a zip or a Get-Mmar object' {
        $a = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath (Join-Path $TestDrive 'a.zip')
        Start-Sleep -Milliseconds 1100  # a timestamp taken from the clock would differ now
        $b = Get-Mmar -LiteralPath $script:SampleMmar | New-MdaiModelPackage -OutputPath (Join-Path $TestDrive 'b.zip')
        $b.Sha256 | Should -Be $a.Sha256
        [System.Linq.Enumerable]::SequenceEqual([System.IO.File]::ReadAllBytes($b.Path), [System.IO.File]::ReadAllBytes($a.Path)) | Should -BeTrue
    }

    It 'names the zip after the MMAR when given a folder' {
        $folder = Join-Path $TestDrive 'packages'
        $null = New-Item -ItemType Directory -Path $folder
        $package = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $folder
        $package.Path | Should -Be (Join-Path $folder 'clara_pt_phantom_ct_segmentation.zip')
        Test-Path -LiteralPath $package.Path | Should -BeTrue
    }

    It 'makes the folder of the zip when it is missing' {
        $zip = Join-Path $TestDrive 'new/deeper/sample.zip'
        $package = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip
        Test-Path -LiteralPath $zip | Should -BeTrue
        $package.Path | Should -Be $zip
    }

    It 'makes the Clara 4.0 layout on request: the MMAR in a folder beside config_mdai.json, with a warning' {
        $zip = Join-Path $TestDrive 'clara40.zip'
        $package = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip -ClaraVersion 4.0 -WarningVariable warnings -WarningAction SilentlyContinue
        $entries = Get-ZipEntry $zip
        $mdai = $entries['model/workspace/config_mdai.json'] | ConvertFrom-Json
        $mdai.type | Should -Be 'segmentation'
        $mdai.out_classes | Should -Be 3
        $mdai.data_list_key | Should -Be 'test'
        $entries.Keys | Should -Contain "model/workspace/$($mdai.root_folder)/commands/infer.sh"
        $entries['model/.mdai/config.yaml'] | Should -Match 'clara_version: "4\.0"'
        "$warnings" | Should -Match '4\.0'
        $package.Sha256 | Should -Not -BeNullOrEmpty
    }

    It 'honours -WhatIf: no file, no temporary left behind' {
        $folder = Join-Path $TestDrive 'whatif'
        $null = New-Item -ItemType Directory -Path $folder
        New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath (Join-Path $folder 'x.zip') -WhatIf | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 0
    }

    It 'refuses an MMAR without commands/infer.sh, says why, and leaves the existing zip as it was' {
        $mmar = New-SampleCopy 'no-infer'
        Remove-Item -LiteralPath (Join-Path $mmar 'commands/infer.sh')
        $zip = Join-Path $TestDrive 'existing.zip'
        Set-Content -LiteralPath $zip -Value 'keep me'
        # Even with -Force: a refused MMAR never touches the file that is there.
        { New-MdaiModelPackage -Mmar $mmar -OutputPath $zip -Force } | Should -Throw -ErrorId 'MdaiPackageRefused,*' -ExpectedMessage '*infer.sh*'
        Get-Content -LiteralPath $zip | Should -Be 'keep me'
        @(Get-ChildItem -LiteralPath $TestDrive -Filter '*.tmp' -Force).Count | Should -Be 0
    }

    It 'refuses a Clara 3 TensorFlow MMAR as MD.ai''s builder does' {
        $mmar = New-SampleCopy 'tensorflow'
        Remove-Item -LiteralPath (Join-Path $mmar 'models/model.ts')
        Set-Content -LiteralPath (Join-Path $mmar 'models/model.trt.pb') -Value 'frozen graph'
        { New-MdaiModelPackage -Mmar $mmar -OutputPath (Join-Path $TestDrive 'tf.zip') } | Should -Throw -ErrorId 'MdaiPackageRefused,*' -ExpectedMessage '*TensorFlow*'
        Test-Path -LiteralPath (Join-Path $TestDrive 'tf.zip') | Should -BeFalse
    }

    It 'says which -LabelToClassIndex entry is wrong, and writes nothing' {
        $zip = Join-Path $TestDrive 'badmap.zip'
        { New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip -LabelToClassIndex @{ organ = 0 } } | Should -Throw -ErrorId 'MdaiPackageOptionInvalid,*' -ExpectedMessage "*key 'organ' is not a label value*"
        { New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip -LabelToClassIndex @{ 1 = -1 } } | Should -Throw -ErrorId 'MdaiPackageOptionInvalid,*' -ExpectedMessage '*class_index*'
        $twice = @{ 1 = 0 }
        $twice['1'] = 3  # an int key and a string key: two entries for PowerShell, one label
        { New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip -LabelToClassIndex $twice } | Should -Throw -ErrorId 'MdaiPackageOptionInvalid,*' -ExpectedMessage '*label 1 twice*'
        Test-Path -LiteralPath $zip | Should -BeFalse
    }

    It 'refuses a Clara version MD.ai does not take' {
        { New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath (Join-Path $TestDrive 'v.zip') -ClaraVersion 4.1 } | Should -Throw
    }

    It 'shows a list a user can read' {
        $package = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath (Join-Path $TestDrive 'view.zip')
        $text = $package | Out-String
        $text | Should -Match 'Sha256\s*:\s*[0-9a-f]{64}'
        $text | Should -Match 'clara_version: "4\.1\.0"'
    }

    Context 'what the package carries' {
        BeforeAll {
            # The sample as a working copy looks after training and evaluation: outputs, VCS, caches, the checkpoint,
            # a dataset, and DICOM/NIfTI files where nobody would look.
            $script:Cluttered = New-SampleCopy 'cluttered'
            $dicom = Join-Path $script:PhantomDicom 'IM0027.dcm'
            $truth = Join-Path $script:RepoRoot 'samples/phantom/phantom_truth.nii.gz'
            function Add-File([string] $Relative, [string] $From, [string] $Text) {
                $path = Join-Path $script:Cluttered $Relative
                $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $path)
                if ($From) { Copy-Item -LiteralPath $From -Destination $path } else { Set-Content -LiteralPath $path -Value $Text }
            }
            Add-File 'eval/case_001/case_001_trans.nii.gz' -From $truth
            Add-File '.git/HEAD' -Text 'ref: refs/heads/main'
            Add-File 'custom/__pycache__/tools.cpython-39.pyc' -Text 'cache'
            Add-File 'custom/tools.py' -Text 'pass'
            Add-File 'models/model.pt' -Text 'a checkpoint stand-in'
            Add-File 'data/imagesTr/case_001.nii.gz' -From $truth
            Add-File 'resources/lut.bin' -From $dicom
            Add-File 'scan0001' -From $dicom
            Add-File 'notes.txt' -Text 'ask radiology for more cases'
        }

        It 'has -Include and -Exclude, each taking several patterns, on both packaging cmdlets' {
            foreach ($name in 'New-MdaiModelPackage', 'Publish-MdaiModel') {
                foreach ($parameter in 'Include', 'Exclude') {
                    (Get-Command $name).Parameters[$parameter].ParameterType | Should -Be ([string[]])
                }
            }
            (Get-Help New-MdaiModelPackage -Parameter Include).Description.Text | Should -Match 'relative to the MMAR root'
        }

        It 'leaves out eval/, .git, caches, the checkpoint the config does not load, datasets and image data, each with its reason' {
            $zip = Join-Path $TestDrive 'cluttered.zip'
            $package = New-MdaiModelPackage -Mmar $script:Cluttered -OutputPath $zip

            @($package.LeftOut | ForEach-Object { '{0}={1}' -f $_.Path, $_.Reason }) | Should -Be @(
                '.git/=VersionControl', 'custom/__pycache__/=Cache', 'data/=Dataset', 'eval/=EvaluationOutput',
                'models/model.pt=ModelNotLoaded', 'notes.txt=NotNeeded', 'resources/lut.bin=ImageData', 'scan0001=ImageData')
            $package.LeftOut[0].GetType().FullName | Should -Be 'MdaiClara.Engine.Mdai.Packaging.MdaiPackageLeftOut'
            ($package.LeftOut | Where-Object Path -eq 'resources/lut.bin').Detail | Should -Match 'DICM marker'
            ($package.LeftOut | Where-Object Path -eq 'models/model.pt').Detail | Should -Match 'loads models/model\.ts'

            $entries = (Get-ZipEntry $zip).Keys
            $entries | Should -Contain 'model/workspace/custom/tools.py'
            $entries | Should -Contain 'model/workspace/models/model.ts'
            $entries | Where-Object { $_ -match '/(eval|data|\.git|__pycache__)/|model\.pt$|lut\.bin$|scan0001$|notes\.txt$' } | Should -BeNullOrEmpty
            @($package.Files).Count | Should -Be @($entries).Count
        }

        It 'shows what was left out in its list view' {
            $text = New-MdaiModelPackage -Mmar $script:Cluttered -OutputPath (Join-Path $TestDrive 'cluttered-view.zip') | Format-List | Out-String
            $text | Should -Match 'LeftOut\s*:\s*\.git/ \(VersionControl, 1 file\)'
            $text | Should -Match 'eval/ \(EvaluationOutput, 1 file\)'
            $text | Should -Match 'scan0001 \(ImageData\)'
        }

        It 'takes back what -Include names, and -Exclude wins over -Include' {
            $zip = Join-Path $TestDrive 'patterns.zip'
            $package = New-MdaiModelPackage -Mmar $script:Cluttered -OutputPath $zip -Include 'models/*.pt', 'NOTES.TXT', 'docs' -Exclude 'docs/*.json'
            $entries = (Get-ZipEntry $zip).Keys
            $entries | Should -Contain 'model/workspace/models/model.pt'
            $entries | Should -Contain 'model/workspace/notes.txt'
            $entries | Should -Contain 'model/workspace/docs/Readme.md'
            $entries | Should -Not -Contain 'model/workspace/docs/training_report.json'
            ($package.LeftOut | Where-Object Path -eq 'docs/training_report.json').Reason | Should -Be 'Excluded'
            $package.LeftOut.Path | Should -Not -Contain 'models/model.pt'
        }

        It 'warns about a pattern that names no file' {
            $null = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath (Join-Path $TestDrive 'nothing.zip') -Include 'resources/atlas.nii.gz' -WarningVariable warned -WarningAction SilentlyContinue
            @($warned | Where-Object { "$_" -match "include pattern 'resources/atlas\.nii\.gz' names no file" }).Count | Should -Be 1
        }

        It 'refuses an -Exclude that names a file inference needs, says which, and writes nothing' {
            $zip = Join-Path $TestDrive 'no-model.zip'
            New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath $zip -Exclude 'models/*' -ErrorAction SilentlyContinue -ErrorVariable problems
            @($problems).Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'MdaiPackageOptionInvalid*'
            $problems[0].Exception.Message | Should -Match "'models/\*' names models/model\.ts"
            Test-Path -LiteralPath $zip | Should -BeFalse
        }
    }
}

Describe 'New-MdaiModelPackage -Bundle' {
    BeforeAll {
        $script:GoldenBundle = Join-Path $script:RepoRoot 'tests/fixtures/bundles/golden-ct-seg'
    }

    It 'packages a MONAI bundle for a Python image with its versions pinned, and says what it wrote' {
        $zip = Join-Path $TestDrive 'bundle.zip'
        $package = New-MdaiModelPackage -Bundle $script:GoldenBundle -OutputPath $zip -DeviceType Cpu

        $package.PSObject.TypeNames | Should -Contain 'MdaiClara.MdaiBundlePackage'
        $package.Path | Should -Be $zip
        $package.Sha256 | Should -Be (Get-FileHash -LiteralPath $zip -Algorithm SHA256).Hash.ToLowerInvariant()
        $entries = Get-ZipEntry $zip
        $entries['model/.mdai/config.yaml'] | Should -Be "base_image: py310`ndevice_type: cpu`n"
        $entries['model/.mdai/requirements.txt'] | Should -Match '(?m)^monai==1\.3\.2$'
        $entries['model/.mdai/requirements.txt'] | Should -Match '(?m)^torch==1\.13\.0$'
        $entries['model/.mdai/requirements.txt'] | Should -Match '(?m)^pytorch-ignite==0\.4\.12$'
        (ConvertFrom-Json $entries['model/.mdai/mdai_clara.json']).package | Should -Be 'monai_bundle'
        $entries.Keys | Should -Contain 'model/bundle/models/model.ts'
        $entries.Keys | Should -Not -Contain 'model/bundle/sample_data/ct_pls.nii.gz'
        $package.LeftOut.Path | Should -Contain 'sample_data/ct_pls.nii.gz'
        $package.Task | Should -Be 'segmentation'
        $view = $package | Format-List | Out-String
        $view | Should -Match 'MonaiVersion\s*:\s*1\.3\.2'
        $view | Should -Match 'Task\s*:\s*segmentation'
        $view | Should -Match 'sample_data/ct_pls\.nii\.gz \(NotNeeded\)'
    }

    It 'packages a zipped bundle (one top folder, as the Model Zoo ships them) in place, as its folder gives it' {
        $bundleZip = Join-Path $TestDrive 'downloaded.zip'
        Compress-Archive -Path $script:GoldenBundle -DestinationPath $bundleZip
        $fromZip = New-MdaiModelPackage -Bundle $bundleZip -OutputPath (Join-Path $TestDrive 'zipped')
        $fromZip.Path | Should -Be (Join-Path $TestDrive 'zipped/downloaded.zip')
        $fromFolder = New-MdaiModelPackage -Bundle $script:GoldenBundle -OutputPath (Join-Path $TestDrive 'from-folder.zip')
        $fromZip.Sha256 | Should -Be $fromFolder.Sha256
        { New-MdaiModelPackage -Bundle $bundleZip -OutputPath $TestDrive -Force } |
            Should -Throw -ErrorId 'MdaiPackageOptionInvalid,*' -ExpectedMessage "*would replace the bundle's own zip*"
    }

    It 'packages a classifier bundle with the classification interface code' {
        $cls = Join-Path $script:RepoRoot 'tests/fixtures/bundles/golden-rgb-cls'
        $package = New-MdaiModelPackage -Bundle $cls -OutputPath (Join-Path $TestDrive 'cls.zip') -DeviceType Cpu
        $package.Task | Should -Be 'classification'
        $settings = ConvertFrom-Json $package.Settings
        $settings.classification.csv | Should -Be 'predictions.csv'
        $settings.classification.content | Should -Be 'labels'
        $settings.classification.input | Should -Be 'png'
        $settings.class_names | Should -Be @('red', 'green', 'blue')
        (Get-ZipEntry $package.Path)['model/.mdai/mdai_deploy.py'] | Should -Match 'BundleWorkspace'
    }

    It 'writes the bundle folder name .zip into a folder, and takes an object with a Path' {
        $folder = Join-Path $TestDrive 'bundles'
        $package = New-MdaiModelPackage -Bundle (Get-Item -LiteralPath $script:GoldenBundle) -OutputPath $folder
        $package.Path | Should -Be (Join-Path $folder 'golden-ct-seg.zip')
        $again = New-MdaiModelPackage -Bundle ([pscustomobject]@{ Path = $script:GoldenBundle }) -OutputPath $folder -Force
        $again.Sha256 | Should -Be $package.Sha256
    }

    It 'does not take the MMAR-only parameters with -Bundle' {
        { New-MdaiModelPackage -Bundle $script:GoldenBundle -OutputPath (Join-Path $TestDrive 'x.zip') -ClaraVersion 4.0 } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }

    It 'refuses a bundle whose saver writes elsewhere, and a folder that is no bundle, by name' {
        $copy = Join-Path $TestDrive 'elsewhere'
        Copy-Item -LiteralPath $script:GoldenBundle -Destination $copy -Recurse
        $config = Join-Path $copy 'configs/inference.json'
        (Get-Content -LiteralPath $config -Raw).Replace('"output_dir": "@output_dir"', '"output_dir": "/tmp/x"') | Set-Content -LiteralPath $config
        { New-MdaiModelPackage -Bundle $copy -OutputPath (Join-Path $TestDrive 'elsewhere.zip') } |
            Should -Throw -ErrorId 'MdaiPackageRefused,*' -ExpectedMessage '*SaveImaged at configs/inference.json:*not under @output_dir*'
        $empty = Join-Path $TestDrive 'empty'
        $null = New-Item -ItemType Directory -Path $empty
        { New-MdaiModelPackage -Bundle $empty -OutputPath (Join-Path $TestDrive 'none.zip') } |
            Should -Throw -ErrorId 'BundleNotRecognized,*' -ExpectedMessage '*is not a MONAI bundle*'
        Join-Path $TestDrive 'elsewhere.zip' | Should -Not -Exist
    }
}

Describe 'Invoke-ClaraInference -OutputFormat Mdai' {
    BeforeAll {
        $script:MdaiOut = Join-Path $TestDrive 'mdai-out'
        $script:Outputs = @(Invoke-ClaraInference -Mmar $script:SampleMmar -Path $script:PhantomDicom -OutputFormat Mdai -OutputPath $script:MdaiOut)
        $script:Result = Invoke-ClaraInference -Mmar $script:SampleMmar -Path $script:PhantomDicom
        $script:Instances = @(Get-ChildItem -LiteralPath $script:PhantomDicom -File).Count
    }

    It 'emits MD.ai outputs that pass Test-MdaiModelOutput, strict' {
        $script:Outputs[0].PSObject.TypeNames | Should -Contain 'MdaiClara.MdaiOutput'
        $script:Outputs | Test-MdaiModelOutput -Strict | Should -BeTrue
        @($script:Outputs | Test-MdaiModelOutput -Strict -Detailed).Count | Should -Be 0
    }

    It 'covers every instance of the series: an annotation per class present, NONE where nothing is' {
        @($script:Outputs.instance_uid | Sort-Object -Unique).Count | Should -Be $script:Instances
        foreach ($group in $script:Outputs | Group-Object instance_uid) {
            $types = @($group.Group.type)
            if ($types -contains 'NONE') { $types.Count | Should -Be 1 }
        }
        @($script:Outputs | Where-Object type -eq 'ANNOTATION' | ForEach-Object class_index | Sort-Object -Unique) | Should -Be @(0, 1)
    }

    It 'puts as many mask pixels in each class as the label map has voxels of it' {
        $rows = $script:Result.Label.Shape[1]
        foreach ($class in $script:Result.Classes | Where-Object Label -gt 0) {
            $pixels = 0
            foreach ($o in $script:Outputs | Where-Object { $_.type -eq 'ANNOTATION' -and $_.class_index -eq $class.Label - 1 }) {
                @($o.data.mask).Count | Should -Be $rows
                foreach ($row in $o.data.mask) { $pixels += ($row | Measure-Object -Sum).Sum }
            }
            $pixels | Should -Be $class.Voxels
        }
    }

    It 'still saves the whole _mdai.json when the pipeline stops after the first output' {
        $out = Join-Path $TestDrive 'first-only'
        $first = @(Invoke-ClaraInference -Mmar $script:SampleMmar -Path $script:PhantomDicom -OutputFormat Mdai -OutputPath $out | Select-Object -First 1)
        $first.Count | Should -Be 1
        $file = @(Get-ChildItem -LiteralPath $out -Filter '*_mdai.json')
        $file.Count | Should -Be 1
        (Get-Content -LiteralPath $file[0].FullName -Raw | ConvertFrom-Json).Count | Should -Be $script:Outputs.Count
    }

    It 'saves the same list as a _mdai.json file beside the label map' {
        $file = @(Get-ChildItem -LiteralPath $script:MdaiOut -Filter '*_mdai.json')
        $file.Count | Should -Be 1
        Test-MdaiModelOutput -LiteralPath $file[0].FullName -Strict | Should -BeTrue
        $saved = Get-Content -LiteralPath $file[0].FullName -Raw | ConvertFrom-Json
        $saved.Count | Should -Be $script:Outputs.Count
        ($saved | ConvertTo-Json -Depth 8 -Compress) | Should -Be ($script:Outputs | Select-Object -Property * | ConvertTo-Json -Depth 8 -Compress)
    }

    It 'maps labels to MD.ai classes as asked, leaving out labels without a class' {
        $mapped = @(Invoke-ClaraInference -Mmar $script:SampleMmar -Path $script:PhantomDicom -OutputFormat Mdai -LabelToClassIndex @{ 2 = 5 })
        @($mapped | Where-Object type -eq 'ANNOTATION' | ForEach-Object class_index | Sort-Object -Unique) | Should -Be @(5)
        $mapped | Test-MdaiModelOutput | Should -BeTrue
    }

    It 'refuses a bad -LabelToClassIndex before running anything' {
        { Invoke-ClaraInference -Mmar $script:SampleMmar -Path $script:PhantomDicom -OutputFormat Mdai -LabelToClassIndex @{ 0 = 1 } } | Should -Throw -ErrorId 'MdaiPackageOptionInvalid,*' -ExpectedMessage "*key '0'*"
    }

    It 'says clearly that a NIfTI volume has no instances for MD.ai, and goes on' {
        $outputs = @(Invoke-ClaraInference -Mmar $script:SampleMmar -Path $script:PhantomNifti, $script:PhantomDicom -OutputFormat Mdai -ErrorAction SilentlyContinue -ErrorVariable problems)
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'MdaiOutputUnavailable*'
        "$($problems[0])" | Should -Match 'not read from DICOM'
        $outputs.Count | Should -Be $script:Outputs.Count
    }
}

Describe 'Publish-MdaiModel' {
    It 'runs every check, delivers the package and says what is left to do by hand' {
        $destination = Join-Path $TestDrive 'deliver'
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination $destination

        $record.PSObject.TypeNames | Should -Contain 'MdaiClara.PublishResult'
        @($record.Checks.Name) | Should -Be @('Test-Mmar', 'Package', 'Verify package', 'Smoke run', 'MD.ai output', 'Deliver')
        @($record.Checks | Where-Object Status -ne 'Passed') | Should -BeNullOrEmpty
        $record.Passed | Should -BeTrue
        $record.Delivered | Should -BeTrue
        $record.Package | Should -Be (Join-Path $destination 'clara_pt_phantom_ct_segmentation.zip')
        $record.Sha256 | Should -Be (Get-FileHash -LiteralPath $record.Package -Algorithm SHA256).Hash.ToLowerInvariant()
        $record.NextStep | Should -Match 'no public API'
        @(Get-ChildItem -LiteralPath $destination -Force).Name | Should -Be @('clara_pt_phantom_ct_segmentation.zip')
        ($record.Checks | Where-Object Name -eq 'Smoke run').Detail | Should -Match 'organ'
    }

    It 'says plainly that its checks show form, not accuracy' {
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'scope') -WhatIf
        $record.Scope | Should -Match 'not accuracy'
        $record.Scope | Should -Match 'random weights passes'
        $record.NextStep | Should -Match 'form, not accuracy'
        ($record.Checks | Where-Object Name -eq 'Smoke run').Detail | Should -Match '\(form, not accuracy\)'
        $view = $record | Format-List | Out-String -Width 200
        $view | Should -Match 'Scope\s*: Form, not accuracy'
        (Get-Help Publish-MdaiModel -Full | Out-String) | Should -Match 'random weights'
    }

    It 'delivers the same bytes New-MdaiModelPackage writes' {
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'same')
        $package = New-MdaiModelPackage -Mmar $script:SampleMmar -OutputPath (Join-Path $TestDrive 'same.zip')
        $record.Sha256 | Should -Be $package.Sha256
    }

    It 'runs every check under -WhatIf but delivers nothing' {
        $destination = Join-Path $TestDrive 'whatif-publish'
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination $destination -WhatIf
        ($record.Checks | Where-Object Name -eq 'Smoke run').Status | Should -Be 'Passed'
        ($record.Checks | Where-Object Name -eq 'Deliver').Status | Should -Be 'Skipped'
        $record.Delivered | Should -BeFalse
        Test-Path -LiteralPath $destination | Should -BeFalse
    }

    It 'smoke-runs on the study it is given' {
        # Ten instances of the phantom: the MD.ai list has an output or two for each of them, far fewer than for all 40.
        $study = Join-Path $TestDrive 'ten-slices'
        $null = New-Item -ItemType Directory -Path $study
        Get-ChildItem -LiteralPath $script:PhantomDicom -File | Sort-Object Name | Select-Object -Skip 15 -First 10 | Copy-Item -Destination $study
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'study') -Study $study -WhatIf
        $check = $record.Checks | Where-Object Name -eq 'MD.ai output'
        $check.Status | Should -Be 'Passed'
        $check.Detail -match '^(\d+) outputs' | Should -BeTrue
        [int] $Matches[1] | Should -BeGreaterOrEqual 10
        [int] $Matches[1] | Should -BeLessOrEqual 20
    }

    It 'stops at Test-Mmar errors: the record says why, nothing is packaged or delivered' {
        $mmar = New-SampleCopy 'broken-publish'
        Remove-Item -LiteralPath (Join-Path $mmar 'models/model.ts')
        $destination = Join-Path $TestDrive 'never'
        $record = Publish-MdaiModel -Mmar $mmar -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable problems
        @($record.Checks.Name) | Should -Be @('Test-Mmar')
        $record.Checks[0].Status | Should -Be 'Failed'
        $record.Passed | Should -BeFalse
        $record.Delivered | Should -BeFalse
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'MdaiPublishFailed*'
        Test-Path -LiteralPath $destination | Should -BeFalse
    }

    It 'fails the smoke run, not the pipeline, on a study with no DICOM image' {
        $empty = Join-Path $TestDrive 'empty-study'
        $null = New-Item -ItemType Directory -Path $empty
        Set-Content -LiteralPath (Join-Path $empty 'notes.txt') -Value 'no images here'
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'nostudy') -Study $empty -ErrorAction SilentlyContinue
        ($record.Checks | Where-Object Name -eq 'Smoke run').Status | Should -Be 'Failed'
        $record.Delivered | Should -BeFalse
    }

    It 'smoke-runs the largest DICOM series of a study, not a NIfTI beside it' {
        $study = Join-Path $TestDrive 'mixed-study'
        $null = New-Item -ItemType Directory -Path $study
        Copy-Item -LiteralPath $script:PhantomNifti -Destination (Join-Path $study 'aaa.nii.gz')
        Copy-Item -LiteralPath $script:PhantomDicom -Destination (Join-Path $study 'series') -Recurse
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'mixed') -Study $study -WhatIf
        ($record.Checks | Where-Object Name -eq 'Smoke run').Detail | Should -Match '\(40 instances\)'
        ($record.Checks | Where-Object Name -eq 'MD.ai output').Status | Should -Be 'Passed'
    }

    It 'records a study that is not there as a failed smoke run' {
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'typo') -Study (Join-Path $TestDrive 'no-such-study') -ErrorAction SilentlyContinue
        ($record.Checks | Where-Object Name -eq 'Smoke run').Status | Should -Be 'Failed'
        $record.Delivered | Should -BeFalse
    }

    It 'fails the smoke run on a study MD.ai''s interface code would refuse: multi-frame images' {
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'multiframe') -Study (Join-Path $script:Fixtures 'dicom/series/enhanced_multiframe') -ErrorAction SilentlyContinue
        $smoke = $record.Checks | Where-Object Name -eq 'Smoke run'
        $smoke.Status | Should -Be 'Failed'
        $smoke.Detail | Should -Match 'interface code would refuse.*frames'
        $record.Delivered | Should -BeFalse
    }

    It 'fails the smoke run on slices without a position or orientation, which MdaiClara alone would take as axial' {
        $study = Join-Path $TestDrive 'no-geometry'
        $null = New-Item -ItemType Directory -Path $study
        $strip = 'import pydicom, sys, os, glob' + "`n" + 'for p in glob.glob(os.path.join(sys.argv[1], "*")):' + "`n" + '    ds = pydicom.dcmread(p); del ds.ImageOrientationPatient; del ds.ImagePositionPatient; ds.save_as(os.path.join(sys.argv[2], os.path.basename(p)))'
        & /usr/bin/python3 -c $strip $script:PhantomDicom $study
        $LASTEXITCODE | Should -Be 0
        $record = Publish-MdaiModel -Mmar $script:SampleMmar -Destination (Join-Path $TestDrive 'no-geometry-out') -Study $study -ErrorAction SilentlyContinue
        $smoke = $record.Checks | Where-Object Name -eq 'Smoke run'
        $smoke.Status | Should -Be 'Failed'
        $smoke.Detail | Should -Match 'ImageOrientationPatient'
    }

    Context 'a classifier' {
        BeforeAll {
            # The sample relabelled as a multi-label classifier whose ClassificationSaver writes scores.csv.
            $script:Classifier = New-SampleCopy 'classifier'
            Set-JsonValue -Path (Join-Path $script:Classifier 'config/environment.json') -Key PROCESSING_TASK -Value 'classification'
            $configPath = Join-Path $script:Classifier 'config/config_inference.json'
            $config = Get-Content -LiteralPath $configPath -Raw | ConvertFrom-Json -AsHashtable
            $config.post_transforms = @(@{ name = 'Activationsd'; args = @{ keys = 'pred'; sigmoid = $true } })
            $config.handlers = @(@{ name = 'ClassificationSaver'; args = @{ output_dir = '{MMAR_EVAL_OUTPUT_PATH}'; filename = 'scores.csv' } })
            $config | ConvertTo-Json -Depth 32 | Set-Content -LiteralPath $configPath
        }

        It 'packages it with the classification interface code' {
            $package = New-MdaiModelPackage -Mmar $script:Classifier -OutputPath (Join-Path $TestDrive 'classifier.zip')
            $package.Settings.Task | Should -Be 'classification'
            $entries = Get-ZipEntry $package.Path
            $entries['model/.mdai/mdai_deploy.py'] | Should -Match 'classification'
            ($entries['model/.mdai/mdai_clara.json'] | ConvertFrom-Json).classification.csv | Should -Be 'scores.csv'
        }

        It 'does not deliver it without a study to run it on' {
            $destination = Join-Path $TestDrive 'cls-nostudy'
            $record = Publish-MdaiModel -Mmar $script:Classifier -Destination $destination -ErrorAction SilentlyContinue
            $smoke = $record.Checks | Where-Object Name -eq 'Smoke run'
            $smoke.Status | Should -Be 'Failed'
            $smoke.Detail | Should -Match 'give a study'
            Test-Path -LiteralPath $destination | Should -BeFalse
        }

        It 'smoke-runs it as the generated code does, one image at a time, and fails when its model cannot take that' {
            # The sample's 3-D network behind a classification package: each instance alone is a 2-D image.
            $record = Publish-MdaiModel -Mmar $script:Classifier -Destination (Join-Path $TestDrive 'cls-seg') -Study $script:PhantomDicom -ErrorAction SilentlyContinue
            $smoke = $record.Checks | Where-Object Name -eq 'Smoke run'
            $smoke.Status | Should -Be 'Failed'
            $smoke.Detail | Should -Match 'is a 2-D image \(96×88\), but this model needs a 3-D volume'
            $record.Delivered | Should -BeFalse
        }
    }

    Context 'image data in the package' {
        BeforeAll {
            # An atlas the config's (custom) handler reads: the content rules keep a file the config names, so only
            # the verification of the written zip stands between it and MD.ai.
            $script:AtlasMmar = New-SampleCopy 'atlas-mmar'
            Copy-Item -LiteralPath (Join-Path $script:RepoRoot 'samples/phantom/phantom_truth.nii.gz') -Destination (Join-Path $script:AtlasMmar 'resources/atlas.nii.gz')
            $configPath = Join-Path $script:AtlasMmar 'config/config_inference.json'
            $config = Get-Content -LiteralPath $configPath -Raw | ConvertFrom-Json -AsHashtable
            $config.handlers = @($config.handlers) + @{ path = 'atlas_tools.AtlasOverlay'; args = @{ atlas = 'resources/atlas.nii.gz' } }
            $config | ConvertTo-Json -Depth 32 | Set-Content -LiteralPath $configPath
        }

        It 'fails verification on image data no -Include names, says which file, and delivers nothing' {
            $destination = Join-Path $TestDrive 'atlas-refused'
            $record = Publish-MdaiModel -Mmar $script:AtlasMmar -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable problems -WarningAction SilentlyContinue
            @($record.Checks.Name) | Should -Be @('Test-Mmar', 'Package', 'Verify package')
            $verify = $record.Checks | Where-Object Name -eq 'Verify package'
            $verify.Status | Should -Be 'Failed'
            $verify.Detail | Should -Match 'model/workspace/resources/atlas\.nii\.gz is a Nifti image \(a NIfTI-1 header, gzip-compressed\)'
            $verify.Detail | Should -Match 'include pattern names it'
            $record.Delivered | Should -BeFalse
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'MdaiPublishFailed*'
            Test-Path -LiteralPath $destination | Should -BeFalse
        }

        It 'passes when -Include names it, and the delivered package carries it' {
            $record = Publish-MdaiModel -Mmar $script:AtlasMmar -Destination (Join-Path $TestDrive 'atlas-named') -Include 'resources/*.nii.gz' -WarningAction SilentlyContinue
            $record.Passed | Should -BeTrue
            ($record.Checks | Where-Object Name -eq 'Verify package').Detail | Should -Match 'no image data but what include patterns name'
            (Get-ZipEntry $record.Package).Keys | Should -Contain 'model/workspace/resources/atlas.nii.gz'
        }

        It 'leaves the TorchScript out when the config loads the checkpoint, and says why the smoke run cannot run it' {
            $mmar = New-SampleCopy 'checkpoint-config'
            Set-Content -LiteralPath (Join-Path $mmar 'models/model.pt') -Value 'a checkpoint stand-in'
            $configPath = Join-Path $mmar 'config/config_inference.json'
            $config = Get-Content -LiteralPath $configPath -Raw | ConvertFrom-Json -AsHashtable
            $config.dont_load_ts_model = $true
            $config.dont_load_ckpt_model = $false
            $config.model = @(@{ ts_path = '{MMAR_TORCHSCRIPT}'; disabled = '{dont_load_ts_model}' }, @{ ckpt_path = 'models/model.pt'; disabled = '{dont_load_ckpt_model}' })
            $config | ConvertTo-Json -Depth 32 | Set-Content -LiteralPath $configPath

            $record = Publish-MdaiModel -Mmar $mmar -Destination (Join-Path $TestDrive 'checkpoint') -WhatIf -ErrorAction SilentlyContinue
            ($record.Checks | Where-Object Name -eq 'Package').Detail | Should -Match 'models/model\.ts \(ModelNotLoaded\)'
            $smoke = $record.Checks | Where-Object Name -eq 'Smoke run'
            $smoke.Status | Should -Be 'Failed'
            $smoke.Detail | Should -Match 'loads the checkpoint models/model\.pt'
            $smoke.Detail | Should -Match 'include pattern'

            $record = Publish-MdaiModel -Mmar $mmar -Destination (Join-Path $TestDrive 'checkpoint') -Include 'models/model.ts' -WhatIf -WarningAction SilentlyContinue
            ($record.Checks | Where-Object Name -eq 'Smoke run').Status | Should -Be 'Passed'
        }

        It 'says in the Package check what it left out' {
            $mmar = New-SampleCopy 'publish-leftout'
            $null = New-Item -ItemType Directory -Path (Join-Path $mmar 'eval')
            Set-Content -LiteralPath (Join-Path $mmar 'eval/metrics.csv') -Value 'case,dice'
            $record = Publish-MdaiModel -Mmar $mmar -Destination (Join-Path $TestDrive 'leftout') -WhatIf
            ($record.Checks | Where-Object Name -eq 'Package').Detail | Should -Match 'left out of the MMAR: eval/ \(EvaluationOutput, 1 file\)'
        }
    }

    It 'says in its help that MD.ai has no upload API, and what the manual step is' {
        $help = Get-Help Publish-MdaiModel -Full | Out-String
        $help | Should -Match 'no public API'
    }
}
