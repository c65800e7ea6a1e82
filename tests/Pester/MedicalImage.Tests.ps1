BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'
    $script:SeriesFixtures = Join-Path $Fixtures 'dicom/series'

    function Invoke-Nibabel {
        # Reads a NIfTI with nibabel (Debian's python3) and returns affine, shape, dtype and a checksum as an object.
        param([string] $Path)
        $script = 'import sys, json, nibabel as nib, numpy as np; i = nib.load(sys.argv[1]); d = np.asanyarray(i.dataobj); print(json.dumps({"affine": i.affine.tolist(), "shape": list(d.shape), "dtype": str(d.dtype), "sum": float(d.astype(np.float64).sum()), "first": float(d.flat[0])}))'
        $out = & /usr/bin/python3 -c $script $Path
        if ($LASTEXITCODE -ne 0) { throw "nibabel could not read $Path" }
        $out | ConvertFrom-Json
    }
}

Describe 'Import-MedicalImage' {
    It 'reads a NIfTI file into a volume' {
        $v = Import-MedicalImage (Join-Path $Phantom 'phantom_ct.nii.gz')
        $v.PSObject.TypeNames[0] | Should -Be 'MdaiClara.Volume'
        $v.Shape | Should -Be @(96, 88, 40)
        $v.Orientation | Should -Be 'LPS'
        "$($v.DataType)" | Should -Be 'Int16'
        ($v.Spacing | ForEach-Object { [math]::Round($_, 4) }) | Should -Be @(0.8, 0.8, 2.5)
    }

    It 'reads a DICOM folder into one volume per series, placed like the NIfTI' {
        $dicom = Import-MedicalImage (Join-Path $Phantom 'dicom')
        $nifti = Import-MedicalImage (Join-Path $Phantom 'phantom_ct.nii.gz')
        @($dicom).Count | Should -Be 1
        $dicom.Modality | Should -Be 'CT'
        $dicom.Dicom.Slices.Count | Should -Be 40
        $dicom.Orientation | Should -Be $nifti.Orientation
        $dicom.Affine.MaxAbsDifference($nifti.Affine) | Should -BeLessThan 1e-4
        $dicom.Dicom.SeriesInstanceUid | Should -Not -BeNullOrEmpty
    }

    It 'groups DICOM files from the pipeline into their series' {
        $volumes = Get-ChildItem (Join-Path $SeriesFixtures 'coronal'), (Join-Path $SeriesFixtures 'sagittal') -File | Import-MedicalImage
        @($volumes).Count | Should -Be 2
        @($volumes.Orientation | Sort-Object) | Should -Be @('LIP', 'PIR')
    }

    It 'keeps voxels in the engine and shows what a user needs' {
        $v = Import-MedicalImage (Join-Path $SeriesFixtures 'axial_hfs')
        $v.PSObject.Properties.Name | Should -Not -Contain 'Voxels'
        $table = $v | Format-Table | Out-String
        $table | Should -Match 'LPS'
        $table | Should -Match '12×10×7'
    }

    It 'reports a series that cannot be one volume and goes on with the next input' {
        $results = Import-MedicalImage (Join-Path $SeriesFixtures 'missing_slice'), (Join-Path $SeriesFixtures 'axial_hfs') -ErrorVariable errors -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DicomSeriesInconsistent,*'
        $errors[0].ToString() | Should -Match 'missing between'
    }

    It 'warns about gantry tilt and keeps the true slice positions' {
        $v = Import-MedicalImage (Join-Path $SeriesFixtures 'gantry_tilt') -WarningVariable warnings -WarningAction SilentlyContinue
        $v | Should -Not -BeNullOrEmpty
        ($warnings -join ' ') | Should -Match 'gantry tilt'
    }

    It 'says when a folder holds no images' {
        $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'empty')
        $null = Import-MedicalImage $empty.FullName -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DicomNoImages,*'
        "$($errors[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
    }

    It 'reports a file it was given that is not an image' {
        $text = Join-Path $TestDrive 'notes.txt'
        Set-Content $text 'not an image'
        $null = Import-MedicalImage $text -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DicomNotDicom,*'
        $errors[0].ToString() | Should -Match 'not a DICOM file'
    }

    It 'reports a corrupt NIfTI without .NET exception text' {
        $bad = Join-Path $TestDrive 'bad.nii.gz'
        [IO.File]::WriteAllBytes($bad, [byte[]](31, 139, 8, 0, 1, 2, 3))
        $null = Import-MedicalImage $bad -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].ToString() | Should -Match 'bad.nii.gz'
        $errors[0].ToString() | Should -Not -Match 'System\.'
    }

    It 'names a compression it cannot decode and the command that converts it' {
        $j2k = Join-Path $Fixtures 'dicom/corpus/files/MR_small_jp2klossless.dcm'
        $null = Import-MedicalImage $j2k -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DicomTransferSyntaxUnsupported,*'
        $errors[0].ToString() | Should -Match 'JPEG 2000'
        $errors[0].ToString() | Should -Match 'gdcmconv'
        $errors[0].ToString() | Should -Match ([regex]::Escape($j2k))
    }

    It 'reads each series once when Get-ChildItem -Recurse passes folders and their files' {
        $root = New-Item -ItemType Directory (Join-Path $TestDrive 'tree')
        Copy-Item (Join-Path $SeriesFixtures 'axial_hfs'), (Join-Path $SeriesFixtures 'coronal') $root.FullName -Recurse
        $volumes = Get-ChildItem $root.FullName -Recurse | Import-MedicalImage -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 0
        @($volumes).Count | Should -Be 2
        @($volumes.Dicom.SeriesInstanceUid | Sort-Object -Unique).Count | Should -Be 2
    }

    It 'warns about a damaged DICOM file in a folder and still reads the rest' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'damaged')
        Copy-Item (Join-Path $SeriesFixtures 'axial_hfs/*') $folder.FullName
        Copy-Item (Join-Path $Fixtures 'dicom/robustness/frames_huge.dcm') $folder.FullName
        $v = Import-MedicalImage $folder.FullName -WarningVariable warnings -WarningAction SilentlyContinue
        @($v).Count | Should -Be 1
        $v.Shape | Should -Be @(12, 10, 7)
        ($warnings -join ' ') | Should -Match 'frames_huge\.dcm.*NumberOfFrames \(0028,0008\)'
    }

    It 'reports the damage, not "no images", when a folder holds only a damaged DICOM file' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'onlydamaged')
        Copy-Item (Join-Path $Fixtures 'dicom/robustness/frames_huge.dcm') $folder.FullName
        $null = Import-MedicalImage $folder.FullName -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DicomPixelDataInvalid,*'
        $errors[0].ToString() | Should -Match 'frames_huge\.dcm: NumberOfFrames'
    }

    It 'gives the real error id for a damaged DICOM file it was given' {
        $null = Import-MedicalImage (Join-Path $Fixtures 'dicom/robustness/frames_huge.dcm') -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'DicomPixelDataInvalid,*'
        $errors[0].ToString() | Should -Match 'NumberOfFrames'
    }

    It 'keeps the usual CT encoding (unsigned 12 bits, intercept -1024) as Int16 Hounsfield units' {
        $v = Import-MedicalImage (Join-Path $SeriesFixtures 'ct_u12_intercept')
        "$($v.DataType)" | Should -Be 'Int16'
        ([short[]] $v.GetVoxels())[0] | Should -Be (20 - 1024)
    }
}

Describe 'Export-MedicalImage' {
    It 'writes a NIfTI that nibabel reads with the identical affine and data' {
        $target = Join-Path $TestDrive 'phantom.nii.gz'
        $v = Import-MedicalImage (Join-Path $Phantom 'dicom')
        $file = $v | Export-MedicalImage $target
        $file | Should -BeOfType ([IO.FileInfo])
        $file.FullName | Should -Be $target
        $peer = Invoke-Nibabel $target
        $peer.shape | Should -Be @(96, 88, 40)
        for ($r = 0; $r -lt 3; $r++) { for ($c = 0; $c -lt 4; $c++) { [math]::Abs($peer.affine[$r][$c] - $v.Affine[$r, $c]) | Should -BeLessThan 1e-4 } }
        $sum = 0.0; foreach ($x in $v.GetVoxels()) { $sum += $x }
        $peer.sum | Should -Be $sum
    }

    It 'writes into a folder, one file per series, named after the series' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'out')
        $files = Get-ChildItem (Join-Path $SeriesFixtures 'coronal'), (Join-Path $SeriesFixtures 'sagittal') -File | Import-MedicalImage | Export-MedicalImage $folder.FullName
        @($files).Count | Should -Be 2
        $files.Name | ForEach-Object { $_ | Should -Match '^2\.25\.\d+\.nii\.gz$' }
    }

    It 'honours -WhatIf and writes nothing' {
        $target = Join-Path $TestDrive 'whatif.nii.gz'
        Import-MedicalImage (Join-Path $SeriesFixtures 'axial_hfs') | Export-MedicalImage $target -WhatIf
        $target | Should -Not -Exist
    }

    It 'keeps an existing file with -NoClobber' {
        $target = Join-Path $TestDrive 'keep.nii.gz'
        Set-Content $target 'precious'
        $null = Import-MedicalImage (Join-Path $SeriesFixtures 'axial_hfs') | Export-MedicalImage $target -NoClobber -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
        Get-Content $target | Should -Be 'precious'
    }

    It 'refuses a target that is neither a folder nor a NIfTI name' {
        { Import-MedicalImage (Join-Path $SeriesFixtures 'axial_hfs') | Export-MedicalImage (Join-Path $TestDrive 'out.txt') } |
            Should -Throw -ErrorId 'ExportPathInvalid,MdaiClara.Cmdlets.Commands.ExportMedicalImageCommand'
    }

    It 'refuses to write a second volume over the first in one command' {
        $target = Join-Path $TestDrive 'one.nii.gz'
        $files = Get-ChildItem (Join-Path $SeriesFixtures 'coronal'), (Join-Path $SeriesFixtures 'sagittal') -File | Import-MedicalImage |
            Export-MedicalImage $target -ErrorVariable errors -ErrorAction SilentlyContinue
        @($files).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ExportTargetRepeated,*'
        (Invoke-Nibabel $target).shape.Count | Should -Be 3
    }

    It 'refuses to overwrite the file a volume was read from' {
        $source = Join-Path $TestDrive 'source.nii.gz'
        Copy-Item (Join-Path $Phantom 'phantom_ct.nii.gz') $source
        $before = (Get-FileHash $source).Hash
        $null = Import-MedicalImage $source | Export-MedicalImage $source -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ExportOverwritesSource,*'
        (Get-FileHash $source).Hash | Should -Be $before
    }

    It 'round-trips: what it writes reads back identical' {
        $target = Join-Path $TestDrive 'round.nii'
        $v = Import-MedicalImage (Join-Path $SeriesFixtures 'oblique')
        $null = $v | Export-MedicalImage $target
        $back = Import-MedicalImage $target
        $back.Shape | Should -Be $v.Shape
        $back.Affine.MaxAbsDifference($v.Affine) | Should -BeLessThan 1e-4
        [Linq.Enumerable]::SequenceEqual([short[]] $back.GetVoxels(), [short[]] $v.GetVoxels()) | Should -BeTrue
    }
}
