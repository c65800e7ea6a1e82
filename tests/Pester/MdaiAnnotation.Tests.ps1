# Import-MdaiAnnotation and ConvertTo-MdaiAnnotation as users run them: the phantom's MD.ai export (samples/phantom,
# made from its truth by make_mdai_export.py) on the phantom DICOM series, and the round trip back to MD.ai import items.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'
    $script:Export = Join-Path $Phantom 'mdai_annotations.json'
    $script:Dicom = Join-Path $Phantom 'dicom'
    $script:Small = Join-Path $Fixtures 'annotations/export_small.json'

    function Get-TruthVoxels {
        # The phantom truth as a flat byte list (nibabel order = our volume order), via Debian's nibabel.
        $out = & /usr/bin/python3 -c 'import sys, nibabel as nib, numpy as np; d = np.asanyarray(nib.load(sys.argv[1]).dataobj).astype(np.uint8); print(",".join(str(v) for v in d.flatten(order="F")))' (Join-Path $Phantom 'phantom_truth.nii.gz')
        if ($LASTEXITCODE -ne 0) { throw 'nibabel could not read the truth' }
        [byte[]] ($out -split ',')
    }
}

Describe 'Import-MdaiAnnotation' {
    It 'emits typed annotations with their label and mode' {
        $all = @(Import-MdaiAnnotation $Export)
        $all.Count | Should -Be 24
        $all[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.MdaiAnnotation'
        ($all | Group-Object LabelName | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ';' | Should -Be 'Contrast: none=1;Lesion=6;Organ=17'
        ($all | Where-Object LabelName -eq 'Contrast: none').Mode | Should -Be 'global'
        ($all | Where-Object LabelName -eq 'Organ' | Select-Object -First 1).Data.Foreground.Count | Should -BeGreaterThan 0
        @(Import-MdaiAnnotation $Export -LabelName lesion).Count | Should -Be 6
    }

    It 'makes a label volume on the series grid that equals the phantom truth voxel for voxel' {
        $truth = Import-MdaiAnnotation $Export -Study $Dicom -LabelName Organ, Lesion -WarningVariable warned
        $warned | Should -BeNullOrEmpty
        $truth.PSObject.TypeNames[0] | Should -Be 'MdaiClara.Volume'
        $series = Import-MedicalImage $Dicom
        $truth.Shape | Should -Be $series.Shape
        $truth.Affine.MaxAbsDifference($series.Affine) | Should -BeLessThan 1e-6
        $truth.Dicom.SeriesInstanceUid | Should -Be $series.Dicom.SeriesInstanceUid
        [byte[]] $expected = Get-TruthVoxels
        $expected.Length | Should -Be (96 * 88 * 40)
        [System.Linq.Enumerable]::SequenceEqual([byte[]] $truth.GetVoxels(), $expected) | Should -BeTrue
    }

    It 'writes the label volume as NIfTI through Export-MedicalImage' {
        $file = Import-MdaiAnnotation $Export -Study $Dicom -LabelMap @{ Organ = 1; Lesion = 1 } | Export-MedicalImage (Join-Path $TestDrive 'truth')
        $file.Name | Should -Match '\.nii\.gz$'
        [System.Linq.Enumerable]::Max([byte[]] (Import-MedicalImage $file.FullName).GetVoxels()) | Should -Be 1
    }

    It 'names every annotation it cannot place in a warning, and says when no series has any' {
        $json = Get-Content -LiteralPath $Export -Raw | ConvertFrom-Json -AsHashtable
        $first = $json.datasets[0].annotations[0]
        $json.datasets[0].annotations += @(
            @{ id = 'A_lost'; labelId = 'L_phOrgan'; StudyInstanceUID = $first.StudyInstanceUID; SeriesInstanceUID = $first.SeriesInstanceUID; SOPInstanceUID = '1.2.3.4.5'; data = $first.data },
            @{ id = 'A_nolabel'; labelId = 'L_gone'; StudyInstanceUID = $first.StudyInstanceUID; SeriesInstanceUID = $first.SeriesInstanceUID; SOPInstanceUID = $first.SOPInstanceUID; data = $first.data },
            @{ id = 'A_frame'; labelId = 'L_phLesion'; StudyInstanceUID = $first.StudyInstanceUID; SeriesInstanceUID = $first.SeriesInstanceUID; SOPInstanceUID = $first.SOPInstanceUID; frameNumber = 4; data = $first.data })
        $edited = Join-Path $TestDrive 'edited.json'
        $json | ConvertTo-Json -Depth 12 -Compress | Set-Content -LiteralPath $edited
        $null = Import-MdaiAnnotation $edited -Study $Dicom -LabelName Organ, Lesion -WarningVariable warned -WarningAction SilentlyContinue
        @($warned).Count | Should -Be 3
        ($warned -join "`n") | Should -Match 'A_lost .*1\.2\.3\.4\.5.*not in series'
        ($warned -join "`n") | Should -Match 'A_nolabel .*L_gone'
        ($warned -join "`n") | Should -Match 'A_frame .*frameNumber 4'

        # The small fixture export is on another study: nothing under -Study has its annotations, an error says so.
        Import-MdaiAnnotation $Small -Study $Dicom -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Match '^MdaiAnnotationNoSeries'
        "$($failed[0])" | Should -Match '1\.2\.826\.0\.1\.3680043\.8\.498\.1\.1'
    }

    It 'reports a malformed export with its line and column' {
        $bad = Join-Path $TestDrive 'bad.json'
        Set-Content -LiteralPath $bad -Value "{`n  `"datasets`": [ { `"annotations`": [ { `"labelId`": `"L_a`", `"data`": { `"vertices`": `"1,2`" } } ] } ]`n}"
        Import-MdaiAnnotation $bad -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Match '^MdaiAnnotationExportInvalid'
        "$($failed[0])" | Should -Match 'line 2, column \d+: .*vertices must be a list'
    }

    It 'refuses an unknown label name, listing the labels there are' {
        Import-MdaiAnnotation $Export -LabelName Spleen -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Match '^MdaiAnnotationLabelUnknown'
        "$($failed[0])" | Should -Match "'Organ' \(L_phOrgan\)"
        { Import-MdaiAnnotation $Export -Study $Dicom -LabelName Organ -LabelMap @{ Organ = 1 } } | Should -Throw -ErrorId 'MdaiAnnotationLabelOptionsConflict*'
        { Import-MdaiAnnotation $Export -Study $Dicom -LabelMap @{ Organ = 'one' } } | Should -Throw -ErrorId 'MdaiAnnotationLabelUnknown*'
    }

    It 'takes export files from Get-ChildItem by -LiteralPath' {
        $copy = Join-Path $TestDrive 'export [1].json'
        Copy-Item -LiteralPath $Export -Destination $copy
        @(Get-Item -LiteralPath $copy | Import-MdaiAnnotation).Count | Should -Be 24
    }
}

Describe 'ConvertTo-MdaiAnnotation' {
    It 'turns a label volume into MD.ai import items that draw back to it exactly' {
        $truth = Import-MdaiAnnotation $Export -Study $Dicom -LabelName Organ, Lesion
        $file = $truth | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan'; 2 = 'L_phLesion' } -Path (Join-Path $TestDrive 'import.json')
        $items = Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-Json
        $items.Count | Should -Be 23
        ($items[0].PSObject.Properties.Name -join ',') | Should -Be 'labelId,StudyInstanceUID,SeriesInstanceUID,SOPInstanceUID,data'

        # MD.ai exports imported annotations in the same shape: wrap them as an export and read them back on the series.
        $export = @{
            labelGroups = @(@{ id = 'G_1'; labels = @(@{ id = 'L_phOrgan'; name = 'Organ'; annotationMode = 'mask' }, @{ id = 'L_phLesion'; name = 'Lesion'; annotationMode = 'mask' }) })
            datasets    = @(@{ id = 'D_1'; annotations = $items })
        }
        $roundTrip = Join-Path $TestDrive 'round-trip.json'
        $export | ConvertTo-Json -Depth 12 -Compress | Set-Content -LiteralPath $roundTrip
        $back = Import-MdaiAnnotation $roundTrip -Study $Dicom -LabelName Organ, Lesion
        [System.Linq.Enumerable]::SequenceEqual([byte[]] $back.GetVoxels(), [byte[]] $truth.GetVoxels()) | Should -BeTrue
    }

    It 'emits typed items, warns once per class without a label id, and refuses what it cannot convert' {
        $truth = Import-MdaiAnnotation $Export -Study $Dicom -LabelName Organ, Lesion
        $items = @($truth | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan' } -WarningVariable warned)
        $items[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.MdaiImportAnnotation'
        $items.Count | Should -Be 17
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match 'Class 2 .*-LabelId'
        'text' | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_a' } -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Match '^MdaiAnnotationConversionFailed'
    }

    It 'converts Invoke-ClaraInference results and -OutputFormat Mdai outputs alike' {
        $result = Invoke-ClaraInference -Mmar $SampleMmar -Path $Dicom
        $fromResult = @($result | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan' })
        $fromOutputs = @(Invoke-ClaraInference -Mmar $SampleMmar -Path $Dicom -OutputFormat Mdai | ConvertTo-MdaiAnnotation -LabelId @{ 0 = 'L_phOrgan' } -WarningAction SilentlyContinue)
        $fromResult.Count | Should -BeGreaterThan 0
        $fromOutputs.Count | Should -Be $fromResult.Count
        ($fromOutputs | ForEach-Object { "$($_.SopInstanceUid):$($_.Pixels)" }) -join ';' | Should -Be (($fromResult | ForEach-Object { "$($_.SopInstanceUid):$($_.Pixels)" }) -join ';')
    }

    It 'leaves an existing -Path file alone without -Force and writes nothing under -WhatIf' {
        $truth = Import-MdaiAnnotation $Export -Study $Dicom -LabelName Organ
        $path = Join-Path $TestDrive 'exists.json'
        Set-Content -LiteralPath $path -Value 'keep'
        $truth | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan' } -Path $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Match '^OutputFileExists'
        Get-Content -LiteralPath $path | Should -Be 'keep'
        $other = Join-Path $TestDrive 'whatif.json'
        $truth | ConvertTo-MdaiAnnotation -LabelId @{ 1 = 'L_phOrgan' } -Path $other -WhatIf
        Test-Path -LiteralPath $other | Should -BeFalse
    }
}
