# One policy for every cmdlet that writes files (README "Output folders and overwriting"): missing folders are made
# when the first file is written and never under -WhatIf; existing files are replaced only with -Force (ErrorId
# OutputFileExists otherwise); DICOM results are named by -NameTemplate (SeriesInstanceUID by default), made safe
# and unique.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'
    $script:Series = Join-Path $Phantom 'dicom'
    $script:Ct = Join-Path $Phantom 'phantom_ct.nii.gz'
    $script:SeriesUid = (Import-MedicalImage $Series).Dicom.SeriesInstanceUid
    $script:SeriesResult = Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -Device Cpu

    # Each writing cmdlet, run into a target: a folder (or a file in a folder) that may not exist yet.
    $script:Writers = @{
        'Export-DicomSeg'       = { [CmdletBinding()] param($Target, [switch] $Force, [switch] $WhatIf) $SeriesResult | Export-DicomSeg -Path (Join-Path $Target 'seg.dcm') -Force:$Force -WhatIf:$WhatIf }
        'Export-MedicalImage'   = { [CmdletBinding()] param($Target, [switch] $Force, [switch] $WhatIf) Import-MedicalImage $Ct | Export-MedicalImage (Join-Path $Target 'ct.nii.gz') -Force:$Force -WhatIf:$WhatIf }
        'Invoke-ClaraInference' = { [CmdletBinding()] param($Target, [switch] $Force, [switch] $WhatIf) Invoke-ClaraInference -Mmar $SampleMmar -Path $Ct -OutputPath $Target -Device Cpu -Force:$Force -WhatIf:$WhatIf }
        'New-MdaiModelPackage'  = { [CmdletBinding()] param($Target, [switch] $Force, [switch] $WhatIf) New-MdaiModelPackage -Mmar $SampleMmar -OutputPath (Join-Path $Target 'p.zip') -Force:$Force -WhatIf:$WhatIf }
        'Publish-MdaiModel'     = { [CmdletBinding()] param($Target, [switch] $Force, [switch] $WhatIf) Publish-MdaiModel -Mmar $SampleMmar -Destination $Target -Force:$Force -WhatIf:$WhatIf }
    }
}

Describe '<_> writes files by the one policy' -ForEach @('Export-DicomSeg', 'Export-MedicalImage', 'Invoke-ClaraInference', 'New-MdaiModelPackage', 'Publish-MdaiModel') {
    BeforeAll {
        $script:Write = $Writers[$_]
        $script:Name = $_
    }

    It 'has -Force and -WhatIf' {
        (Get-Command $Name).Parameters.Keys | Should -Contain 'Force'
        (Get-Command $Name).Parameters.Keys | Should -Contain 'WhatIf'
    }

    It 'creates no folder under -WhatIf' {
        $target = Join-Path $TestDrive "$Name-whatif/deeper"
        $null = & $Write $target -WhatIf
        Split-Path $target | Should -Not -Exist
    }

    It 'creates a missing folder, with its parents, when it writes' {
        $target = Join-Path $TestDrive "$Name-new/deeper"
        $null = & $Write $target
        $target | Should -Exist
        @(Get-ChildItem -LiteralPath $target -File).Count | Should -BeGreaterThan 0
    }

    It 'keeps an existing file without -Force, with OutputFileExists, and replaces it with -Force' {
        $target = Join-Path $TestDrive "$Name-again"
        $null = & $Write $target
        $before = Get-ChildItem -LiteralPath $target -File | ForEach-Object { $_ | Add-Member -PassThru NoteProperty Hash (Get-FileHash $_.FullName).Hash }
        foreach ($file in $before) { [IO.File]::SetLastWriteTimeUtc($file.FullName, [datetime] '2001-01-01') }

        $null = & $Write $target -ErrorVariable problems -ErrorAction SilentlyContinue
        @($problems).Count | Should -BeGreaterThan 0
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
        "$($problems[0])" | Should -Match '-Force'
        foreach ($file in $before) { (Get-Item $file.FullName).LastWriteTimeUtc | Should -Be ([datetime] '2001-01-01') }

        $null = & $Write $target -Force -ErrorVariable problems
        @($problems).Count | Should -Be 0
        foreach ($file in $before) { (Get-Item $file.FullName).LastWriteTimeUtc | Should -BeGreaterThan ([datetime] '2001-01-01') }
    }
}

Describe 'Names of DICOM results' {
    It 'are the SeriesInstanceUID by default: no patient identifier in a file name' {
        $out = Join-Path $TestDrive 'default-names'
        $result = Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -OutputPath $out -Device Cpu
        $result.Input | Should -Be $SeriesUid
        (Get-ChildItem $out).Name | Should -Be "$($SeriesUid)_seg.nii.gz"
    }

    It 'follow -NameTemplate, and a second series of one name is made unique' {
        $out = Join-Path $TestDrive 'template-names'
        $volume = Import-MedicalImage $Series
        $results = @($volume, $volume) | Invoke-ClaraInference -Mmar $SampleMmar -OutputPath $out -NameTemplate '{PatientID}_{SeriesNumber}' -Device Cpu -WarningAction SilentlyContinue
        $results.Input | Should -Be @('PHANTOM0001_1', 'PHANTOM0001_1-2')
        (Get-ChildItem $out).Name | Sort-Object | Should -Be (@('PHANTOM0001_1_seg.nii.gz', 'PHANTOM0001_1-2_seg.nii.gz') | Sort-Object)
    }

    It 'make unsafe characters and spaces safe' {
        $out = Join-Path $TestDrive 'safe-names'
        $result = Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -OutputPath $out -NameTemplate '{StudyDate}_{SeriesDescription}' -Device Cpu
        # "Phantom 0.8x0.8x2.5 mm (samples/make_sample.py)": the space and the slash must not reach the file system.
        $result.Input | Should -Be '20240501_Phantom_0.8x0.8x2.5_mm_(samples_make_sample.py)'
        Test-Path -LiteralPath (Join-Path $out "$($result.Input)_seg.nii.gz") | Should -BeTrue
    }

    It 'name Export-MedicalImage files in a folder the same way' {
        $out = Join-Path $TestDrive 'export-names'
        $files = @(Import-MedicalImage $Series), @(Import-MedicalImage $Series) | ForEach-Object { $_ } | Export-MedicalImage $out -NameTemplate '{Modality}_{PatientID}'
        $files.Name | Should -Be @('CT_PHANTOM0001.nii.gz', 'CT_PHANTOM0001-2.nii.gz')
    }

    It 'refuse a template with a field they do not know, naming the fields they do' {
        { Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -NameTemplate '{PatientName}' } |
            Should -Throw -ErrorId 'NameTemplateInvalid,*' -ExpectedMessage '*{PatientID}*'
        { Import-MedicalImage $Ct | Export-MedicalImage $TestDrive -NameTemplate 'fixed' } |
            Should -Throw -ErrorId 'NameTemplateInvalid,*'
    }

    It 'leave NIfTI inputs their file name' {
        $result = Invoke-ClaraInference -Mmar $SampleMmar -Path $Ct -NameTemplate '{PatientID}' -Device Cpu
        $result.Input | Should -Be 'phantom_ct'
    }
}

Describe 'Publish-MdaiModel -WhatIf over a package that is there' {
    It 'says the package there would be kept without -Force, and replaced with it' {
        $destination = Join-Path $TestDrive 'publish-whatif-existing'
        $null = New-Item -ItemType Directory -Path $destination
        Set-Content (Join-Path $destination 'clara_pt_phantom_ct_segmentation.zip') 'an older package'
        $kept = Publish-MdaiModel -Mmar $SampleMmar -Destination $destination -WhatIf
        ($kept.Checks | Where-Object Name -eq 'Deliver').Detail | Should -Match 'would be kept'
        $replaced = Publish-MdaiModel -Mmar $SampleMmar -Destination $destination -WhatIf -Force
        ($replaced.Checks | Where-Object Name -eq 'Deliver').Detail | Should -Match 'replacing the package there'
        Get-Content (Join-Path $destination 'clara_pt_phantom_ct_segmentation.zip') | Should -Be 'an older package'
    }
}

Describe 'Names made safe for every file system' {
    It 'turns <Name> into <Safe>' -ForEach @(
        @{ Name = 'a/b\c'; Safe = 'a_b_c' }
        @{ Name = 'x<y>z:"q"|?*'; Safe = 'x_y_z__q____' }
        @{ Name = "tab`there"; Safe = 'tab_here' }
        @{ Name = 'CON'; Safe = '_CON' }
        @{ Name = 'nul.seg'; Safe = '_nul.seg' }
        @{ Name = 'trailing. '; Safe = 'trailing' }
        @{ Name = '..'; Safe = 'input' }
        @{ Name = ''; Safe = 'input' }
    ) {
        [MdaiClara.Cmdlets.OutputNames]::Sanitize($Name) | Should -BeExactly $Safe
    }

    It 'keeps a name at most 150 characters long' {
        [MdaiClara.Cmdlets.OutputNames]::Sanitize('x' * 400).Length | Should -Be 150
    }

    It 'falls back to the SeriesInstanceUID when the fields are empty' {
        $fields = [MdaiClara.Cmdlets.SeriesNameFields]::new($null, $null, $null, '  ', '1.2.3', '1.2', 'CT')
        [MdaiClara.Cmdlets.OutputNames]::Apply('{PatientID}_{SeriesDescription}', $fields) | Should -Be '1.2.3'
    }
}
