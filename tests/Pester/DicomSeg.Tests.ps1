# DICOM Segmentation objects from the module as users call it: Export-DicomSeg and Invoke-ClaraInference -OutputFormat
# DicomSeg write a SEG that dciodvfy (dicom3tools) passes with no errors, and Import-MedicalImage reads it back onto
# the source series, equal to the label map written.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Series = Join-Path $RepoRoot 'samples/phantom/dicom'
    $script:Ct = Join-Path $RepoRoot 'samples/phantom/phantom_ct.nii.gz'
    $script:Result = Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -Device Cpu

    function Get-DciodvfyErrors([string] $Path) {
        $out = & dciodvfy $Path 2>&1 | Out-String
        @($out -split "`n" | Where-Object { $_ -like 'Error*' })
    }
}

Describe 'Export-DicomSeg' {
    It 'writes a SEG of an inference result that dciodvfy passes and Import-MedicalImage reads back equal' {
        $path = Join-Path $TestDrive 'seg.dcm'
        $seg = $Result | Export-DicomSeg -Path $path -SeriesNumber 901 -SeriesDescription 'Phantom (AI)'
        $seg.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomSeg'
        $seg.Path | Should -Be $path
        $seg.Segments | Should -Be @($Result.Classes | Where-Object { $_.Label -gt 0 -and $_.Voxels -gt 0 }).Count
        $seg.Frames | Should -BeGreaterThan 0
        $seg.StudyInstanceUid | Should -Be $Result.InputDicom.StudyInstanceUid
        (Get-Item $path).Length | Should -Be $seg.Bytes
        Get-DciodvfyErrors $path | Should -BeNullOrEmpty

        $back = Import-MedicalImage $path -ReferenceSeries $Series
        $back.Modality | Should -Be 'SEG'
        $back.Shape | Should -Be $Result.Label.Shape
        $back.Affine.MaxAbsDifference($Result.Label.Affine) | Should -BeLessThan 1e-9
        [System.Linq.Enumerable]::SequenceEqual([byte[]] $back.GetVoxels(), [byte[]] $Result.Label.GetVoxels()) | Should -BeTrue
        ($seg | Format-List | Out-String) | Should -Match "Segments\s*: $($seg.Segments)"
        ($seg | Format-Table | Out-String) | Should -Match 'Frames'
    }

    It 'reads a SEG onto its series when both are in the folder given to Import-MedicalImage' {
        $folder = Join-Path $TestDrive 'study'
        $null = New-Item -ItemType Directory -Path $folder
        Copy-Item -Path (Join-Path $Series '*') -Destination $folder
        $null = $Result | Export-DicomSeg -Path (Join-Path $folder 'seg.dcm')
        $volumes = Import-MedicalImage $folder
        @($volumes).Count | Should -Be 2
        $label = $volumes | Where-Object Modality -eq 'SEG'
        $label.Dicom.SeriesInstanceUid | Should -Be $Result.InputDicom.SeriesInstanceUid
        [System.Linq.Enumerable]::SequenceEqual([byte[]] $label.GetVoxels(), [byte[]] $Result.Label.GetVoxels()) | Should -BeTrue
    }

    It 'names segments by -SegmentMap and writes into a folder by series' {
        $folder = Join-Path $TestDrive 'segs'
        $seg = $Result | Export-DicomSeg -Path $folder -UidRoot '1.2.826.0.1.3680043.10.99' -SegmentMap @{ 1 = @{ Label = 'Phantom organ'; Type = 'SCT:78961009:Spleen'; Color = '#00ff00' } }
        $seg.Path | Should -Be (Join-Path $folder "$($Result.Input)_seg.dcm")
        $seg.SopInstanceUid | Should -BeLike '1.2.826.0.1.3680043.10.99.*'
        $dump = & dcmdump $seg.Path | Out-String
        $dump | Should -Match '\(0062,0005\) LO \[Phantom organ\]'
        $dump | Should -Match '\(0008,0100\) SH \[78961009\]'
        $dump | Should -Match '\(0066,0036\) LO \[clara_pt_phantom_ct_segmentation\]'
    }

    It 'follows the output policy: -WhatIf writes nothing, an existing file needs -Force' {
        $path = Join-Path $TestDrive 'policy/seg.dcm'
        $Result | Export-DicomSeg -Path $path -WhatIf
        Split-Path $path | Should -Not -Exist
        $null = $Result | Export-DicomSeg -Path $path
        { $Result | Export-DicomSeg -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'OutputFileExists,MdaiClara.Cmdlets.Commands.ExportDicomSegCommand'
        ($Result | Export-DicomSeg -Path $path -Force).Path | Should -Be $path
    }

    It 'refuses a label map that is not on a DICOM series, and a bad segment map, with their error ids' {
        $nifti = Invoke-ClaraInference -Mmar $SampleMmar -Path $Ct -Device Cpu
        { $nifti | Export-DicomSeg -Path (Join-Path $TestDrive 'n.dcm') -ErrorAction Stop } | Should -Throw -ErrorId 'SegSourceNotDicom,MdaiClara.Cmdlets.Commands.ExportDicomSegCommand'
        { $Result | Export-DicomSeg -Path (Join-Path $TestDrive 'm.dcm') -SegmentMap @{ 1 = @{ Type = 'Spleen' } } } | Should -Throw -ErrorId 'SegSegmentMapInvalid,MdaiClara.Cmdlets.Commands.ExportDicomSegCommand'
        { $Result | Export-DicomSeg -Path (Join-Path $TestDrive 'u.dcm') -UidRoot '1.2.abc' } | Should -Throw -ErrorId 'DicomUidRootInvalid,MdaiClara.Cmdlets.Commands.ExportDicomSegCommand'
    }
}

Describe 'Invoke-ClaraInference -OutputFormat DicomSeg' {
    It 'writes a _seg.dcm file per series and emits what it wrote' {
        $out = Join-Path $TestDrive 'out'
        $seg = Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -Device Cpu -OutputFormat DicomSeg -OutputPath $out
        $seg.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomSeg'
        $seg.Path | Should -Be (Join-Path $out "$($Result.Input)_seg.dcm")
        Get-DciodvfyErrors $seg.Path | Should -BeNullOrEmpty
        $back = Import-MedicalImage $seg.Path -ReferenceSeries (Import-MedicalImage $Series)
        [System.Linq.Enumerable]::SequenceEqual([byte[]] $back.GetVoxels(), [byte[]] $Result.Label.GetVoxels()) | Should -BeTrue
    }

    It 'needs -OutputPath' {
        { Invoke-ClaraInference -Mmar $SampleMmar -Path $Series -OutputFormat DicomSeg } | Should -Throw -ErrorId 'OutputPathMissing,MdaiClara.Cmdlets.Commands.InvokeClaraInferenceCommand'
    }
}
