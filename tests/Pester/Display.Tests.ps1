# What users see: values, not .NET type names, in Format-List * of everything the module emits; the DICOM fields
# people recognise in the default views; Test-Mmar verdicts that say whose they are; -Verbose that says each thing
# once and truthfully; MONAI bundles named as bundles.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'
    $script:Series = Join-Path $Phantom 'dicom'
    $script:Ct = Join-Path $Phantom 'phantom_ct.nii.gz'
    # A .NET type name where a value should be: System.Double[], System.Collections.Generic.List`1[...],
    # MdaiClara.Engine.X, or a record's "Name { A = ... }" dump.
    $script:TypeNamePattern = '\bSystem\.[A-Z]\w*(\.\w+)*|\bMdaiClara\.(Engine|Cmdlets)\.\w|`\d|\w+ \{ \w+ = '
    $script:Volume = Import-MedicalImage $Series
    $script:Result = Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -Device Cpu
}

Describe 'Format-List * of <Name>' -ForEach @(
    @{ Name = 'Get-Mmar'; Make = { Get-Mmar $SampleMmar } }
    @{ Name = 'Test-Mmar -Detailed'; Make = { Test-Mmar $SampleMmar -Detailed } }
    @{ Name = 'Test-Mmar -PassThru'; Make = { Test-Mmar $SampleMmar -PassThru } }
    @{ Name = 'Import-MedicalImage (DICOM)'; Make = { $Volume } }
    @{ Name = 'Import-MedicalImage (NIfTI)'; Make = { Import-MedicalImage $Ct } }
    @{ Name = 'Invoke-ClaraInference'; Make = { $Result } }
    @{ Name = 'Invoke-ClaraInference -OutputFormat Mdai'; Make = { Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -OutputFormat Mdai -Device Cpu | Select-Object -First 2 } }
    @{ Name = 'New-MdaiModelPackage'; Make = { New-MdaiModelPackage -Mmar $SampleMmar -OutputPath (Join-Path $TestDrive 'fl.zip') -Force } }
    @{ Name = 'Publish-MdaiModel'; Make = { Publish-MdaiModel -Mmar $SampleMmar -Destination (Join-Path $TestDrive 'fl') -WhatIf } }
    @{ Name = 'Test-MdaiModelOutput -Detailed'; Make = { Test-MdaiModelOutput -InputObject @(@{ type = 'NONE' }) -Detailed } }
    @{ Name = 'Import-MdaiAnnotation'; Make = { Import-MdaiAnnotation (Join-Path $Phantom 'mdai_annotations.json') | Select-Object -Last 3 } }
    @{ Name = 'Import-MdaiAnnotation -Study'; Make = { Import-MdaiAnnotation (Join-Path $Phantom 'mdai_annotations.json') -Study $Series } }
    @{ Name = 'ConvertTo-MdaiAnnotation'; Make = { $Result | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan' } | Select-Object -First 2 } }
) {
    It 'shows values, not .NET type names' {
        $objects = @(& $Make)
        $objects.Count | Should -BeGreaterThan 0
        $text = $objects | Format-List * | Out-String -Width 400
        $lines = @($text -split '\r?\n' | Where-Object { $_ -match $TypeNamePattern })
        $lines | Should -BeNullOrEmpty -Because "these lines show a type name instead of a value:`n$($lines -join "`n")"
    }
}

Describe 'DICOM fields people recognise' {
    It 'are on a volume read from DICOM, and in its table and list views' {
        $Volume.PatientID | Should -Be 'PHANTOM0001'
        $Volume.StudyDate | Should -Be '2024-05-01'
        $Volume.SeriesNumber | Should -Be 1
        $Volume.SeriesDescription | Should -BeLike 'Phantom 0.8x0.8x2.5 mm*'
        # Readable in an 80-column console: who, when, which series, and the geometry.
        $table = $Volume | Format-Table | Out-String -Width 80
        foreach ($header in 'PatientID', 'StudyDate', 'Series', 'Orientation') { $table | Should -Match $header }
        $table | Should -Match 'PHANTOM0001'
        $table | Should -Match 'LPS'
        ($Volume | Format-Table | Out-String -Width 120) | Should -Match 'Phantom 0\.8x0\.8x2\.5 mm'
        $list = $Volume | Format-List | Out-String -Width 200
        $list | Should -Match 'SeriesNumber\s*:\s*1'
    }

    It 'are on an inference result of a DICOM series, and in its default view' {
        $Result.PatientID | Should -Be 'PHANTOM0001'
        $Result.StudyDate | Should -Be '2024-05-01'
        $Result.SeriesNumber | Should -Be 1
        $Result.SeriesDescription | Should -BeLike 'Phantom*'
        # Readable in a 120-column console: the identifiers and the result itself.
        $table = $Result | Out-String -Width 120
        $table | Should -Match 'PHANTOM0001'
        $table | Should -Match '2024-05-01'
        $table | Should -Match 'organ [0-9.]+ mL'
    }

    It 'are empty, not wrong, for a NIfTI volume' {
        $v = Import-MedicalImage $Ct
        $v.PatientID | Should -BeNullOrEmpty
        $v.SeriesNumber | Should -BeNullOrEmpty
    }
}

Describe 'Test-Mmar verdicts in a pipeline' {
    BeforeAll {
        $script:Broken = New-SampleCopy 'broken'
        Remove-Item -LiteralPath (Join-Path $Broken 'models/model.ts')
    }

    It 'say with -PassThru which MMAR each verdict is for' {
        $verdicts = @($SampleMmar, $Broken | Test-Mmar -PassThru)
        $verdicts.Count | Should -Be 2
        $verdicts[0].PSObject.TypeNames | Should -Contain 'MdaiClara.MmarVerdict'
        $verdicts[0].Mmar | Should -Be $SampleMmar
        $verdicts[0].Passed | Should -BeTrue
        $verdicts[1].Mmar | Should -Be $Broken
        $verdicts[1].Name | Should -Be 'broken'
        $verdicts[1].Passed | Should -BeFalse
        $verdicts[1].Errors | Should -BeGreaterThan 0
        @($verdicts[1].Findings | Where-Object Severity -eq 'Error').Count | Should -Be $verdicts[1].Errors
        # The verdict agrees with the plain form.
        Test-Mmar $Broken | Should -Be $verdicts[1].Passed
        ($verdicts | Format-Table | Out-String -Width 200) | Should -Match 'broken'
    }

    It 'carry the MMAR on every -Detailed finding' {
        $findings = @($SampleMmar, $Broken | Test-Mmar -Detailed)
        @($findings | Where-Object { -not $_.Mmar }).Count | Should -Be 0
        @($findings.Mmar | Sort-Object -Unique) | Should -Be @(@($SampleMmar, $Broken) | Sort-Object)
    }

    It 'refuses -Detailed with -PassThru' {
        { Test-Mmar $SampleMmar -Detailed -PassThru } | Should -Throw -ErrorId 'TestMmarOutputConflict,*'
    }
}

Describe '-Verbose of Invoke-ClaraInference' {
    It 'says each thing once, and announces no file without -OutputPath' {
        $messages = @(Invoke-ClaraInference -Mmar $SampleMmar -Path $Ct -Device Cpu -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $messages | Should -Not -BeNullOrEmpty
        ($messages -join "`n") | Should -Not -Match '-OutputPath'
        @($messages | Where-Object { $_ -match 'semantics' }).Count | Should -Be 1
        @($messages | Group-Object | Where-Object Count -gt 1 | ForEach-Object Name) | Should -BeNullOrEmpty
        ($messages -join "`n") | Should -Match 'no output folder was given'
    }

    It 'names the folder it writes into with -OutputPath' {
        $out = Join-Path $TestDrive 'verbose-out'
        $messages = @(Invoke-ClaraInference -Mmar $SampleMmar -Path $Ct -Device Cpu -OutputPath $out -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        ($messages -join "`n") | Should -Match ([regex]::Escape("phantom_ct_seg.nii.gz on the input's grid into $out"))
    }

    It 'names the MMAR asking for a model that is reused by its hash' {
        $copy = New-SampleCopy 'second-mmar'
        $null = Invoke-ClaraInference -Mmar $SampleMmar -Path $Ct -Device Cpu
        $messages = @(Invoke-ClaraInference -Mmar $copy -Path $Ct -Device Cpu -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $reuse = @($messages | Where-Object { $_ -match '^Reusing' })
        $reuse.Count | Should -Be 1
        $reuse[0] | Should -Match ([regex]::Escape($copy))
    }
}

Describe 'A MONAI bundle' {
    BeforeAll {
        $script:Bundle = Join-Path $TestDrive 'spleen_ct_segmentation'
        $null = New-Item -ItemType Directory (Join-Path $Bundle 'configs')
        Set-Content (Join-Path $Bundle 'configs/metadata.json') '{"version": "0.1.0", "monai_version": "0.9.0"}'
        Set-Content (Join-Path $Bundle 'configs/inference.json') '{}'
    }

    It 'is named as a bundle by Get-Mmar, with the remark that bundles come later' {
        $null = Get-Mmar $Bundle -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'MmarIsMonaiBundle,*'
        "$($problems[0])" | Should -Match 'MONAI bundle'
        "$($problems[0])" | Should -Match 'later version'
        "$($problems[0])" | Should -Not -Match 'not an MMAR'
    }

    It 'is named as a bundle by Test-Mmar' {
        $null = Test-Mmar $Bundle -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'MmarIsMonaiBundle,*'
    }
}
