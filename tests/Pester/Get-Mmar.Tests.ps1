BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Get-Mmar' {
    It 'describes the sample MMAR' {
        $m = Get-Mmar $SampleMmar
        $m.PSObject.TypeNames[0] | Should -Be 'MdaiClara.Mmar'
        $m.Name | Should -Be 'clara_pt_phantom_ct_segmentation'
        $m.ClaraVersion | Should -Be '4.1.0'
        $m.Framework | Should -Be 'PyTorch'
        $m.Task | Should -Be 'segmentation'
        $m.InputChannels | Should -Be 1
        $m.OutputChannels | Should -Be 3
        $m.DataListKey | Should -Be 'test'
        $m.DatasetJson.RelativePath | Should -Be 'config/dataset_0.json'
        $m.Labels | Should -Be @('background', 'organ', 'lesion')
        $m.ConfigFiles | Should -Contain 'config/environment.json'
        $m.InferenceConfig.File | Should -Be 'config/config_inference.json'
        $m.InferenceConfig.PreTransforms[3].Name | Should -Be 'Spacingd'
        $m.InferenceConfig.PreTransforms[3].Args['pixdim'] | Should -Be @(1.5, 1.5, 2.0)
        $m.InferenceConfig.Inferer.Name | Should -Be 'SlidingWindowInferer'
    }

    It 'reports the TorchScript size and SHA-256' {
        $m = Get-Mmar $SampleMmar
        $file = Join-Path $SampleMmar 'models/model.ts'
        $m.TorchScript.Bytes | Should -Be (Get-Item $file).Length
        $m.TorchScript.Sha256 | Should -Be (Get-FileHash $file -Algorithm SHA256).Hash.ToLowerInvariant()
        "$($m.TorchScript.Format)" | Should -Be 'TorchScript'
    }

    It 'opens a zipped MMAR the same way' {
        $zip = Join-Path $TestDrive 'sample.zip'
        Compress-Archive -Path $SampleMmar -DestinationPath $zip
        $m = Get-Mmar $zip
        "$($m.SourceKind)" | Should -Be 'Zip'
        $m.Name | Should -Be 'clara_pt_phantom_ct_segmentation'
        $m.TorchScript.Sha256 | Should -Be (Get-Mmar $SampleMmar).TorchScript.Sha256
    }

    It 'expands wildcards and takes paths from the pipeline' {
        $copy = New-SampleCopy 'wild/first'
        $null = New-SampleCopy 'wild/second'
        @(Get-Mmar (Join-Path $TestDrive 'wild/*')).Count | Should -Be 2
        @($copy | Get-Mmar).Count | Should -Be 1
    }

    It 'binds FullName from Get-ChildItem' {
        $null = New-SampleCopy 'gci/mmar'
        $zip = Join-Path $TestDrive 'gci/zips/gci.zip'
        $null = New-Item -ItemType Directory (Split-Path $zip)
        Compress-Archive -Path (Join-Path $TestDrive 'gci/mmar') -DestinationPath $zip
        $found = Get-ChildItem (Split-Path $zip) -Filter *.zip | Get-Mmar
        $found.Path | Should -Be $zip
        "$($found.SourceKind)" | Should -Be 'Zip'
    }

    It 'takes -LiteralPath as written' {
        $copy = New-SampleCopy 'with[brackets]'
        (Get-Mmar -LiteralPath $copy).Name | Should -Be 'with[brackets]'
    }

    It 'reports a missing path as ObjectNotFound and goes on' {
        $result = Get-Mmar (Join-Path $TestDrive 'nope'), $SampleMmar -ErrorVariable errors -ErrorAction SilentlyContinue
        @($result).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports a corrupt zip as InvalidData without .NET exception text' {
        $zip = Join-Path $TestDrive 'corrupt.zip'
        Compress-Archive -Path $SampleMmar -DestinationPath $zip
        $bytes = [IO.File]::ReadAllBytes($zip)
        [IO.File]::WriteAllBytes($zip, $bytes[0..($bytes.Length / 2)])
        $null = Get-Mmar $zip -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarZipCorrupt,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].ToString() | Should -Match 'not a readable zip'
        $errors[0].ToString() | Should -Not -Match 'System\.|Exception'
    }

    It 'rejects a zip whose entry escapes its root and extracts nothing' {
        $zip = Join-Path $TestDrive 'slip.zip'
        Compress-Archive -Path $SampleMmar -DestinationPath $zip
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::Open($zip, 'Update')
        $writer = [IO.StreamWriter]::new($archive.CreateEntry('../../evil.sh').Open())
        $writer.Write('rm -rf /'); $writer.Dispose(); $archive.Dispose()
        $null = Get-Mmar $zip -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarZipEntryEscapesRoot,*'
        $errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $errors[0].ToString() | Should -Match '\.\./\.\./evil\.sh'
        Get-ChildItem $TestDrive -Recurse -Filter evil.sh | Should -BeNullOrEmpty
        (Join-Path (Split-Path $TestDrive) 'evil.sh') | Should -Not -Exist
    }

    It 'says a folder is not an MMAR' {
        $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'empty')
        $null = Get-Mmar $empty.FullName -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarNotRecognized,*'
        $errors[0].ToString() | Should -Match 'is not an MMAR'
    }

    It 'still describes an MMAR whose config does not parse, and warns' {
        $copy = New-SampleCopy 'broken'
        Set-Content (Join-Path $copy 'config/environment.json') "{`n  `"A`": 1`n  `"B`": 2`n}"
        $m = Get-Mmar $copy -WarningVariable warnings -WarningAction SilentlyContinue
        $m | Should -Not -BeNullOrEmpty
        $m.Notes[0] | Should -Match '^config/environment.json:3:3:'
        $warnings[0] | Should -Match 'Test-Mmar -Detailed'
    }

    It 'never loads the model to describe it' {
        $copy = New-SampleCopy 'garbage-model'
        Set-Content (Join-Path $copy 'models/model.ts') 'not a model'
        $m = Get-Mmar $copy
        "$($m.TorchScript.Format)" | Should -Be 'NotAModel'
    }
}
