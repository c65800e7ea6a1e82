# Invoke-ClaraInference -Bundle on the golden MONAI bundles (tests/fixtures/bundles): the label map it writes is MONAI
# 1.3.2's (its bundle workflow's SaveImaged output) voxel for voxel, and a classifier bundle's class is predictions.csv's.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Bundles = Join-Path $script:RepoRoot 'tests/fixtures/bundles'
}

Describe 'Invoke-ClaraInference -Bundle' {
    It 'runs the <Case> bundle like MONAI: the same label map on the input grid' -ForEach @(
        @{ Case = 'golden-ct-seg'; Stem = 'ct_pls' }
        @{ Case = 'golden-mri-multichannel'; Stem = 'mri4_las' }
    ) {
        $bundle = Join-Path $script:Bundles $Case
        $out = Join-Path $TestDrive $Case
        $result = Invoke-ClaraInference -Bundle $bundle -Path (Join-Path $bundle "sample_data/$Stem.nii.gz") -OutputPath $out
        $result.Task | Should -Be 'segmentation'
        @($result.OutputFiles) | Should -HaveCount 1
        $ours = Import-MedicalImage -Path @($result.OutputFiles)[0]
        $monai = Import-MedicalImage -Path (Join-Path $bundle "expected/${Stem}_seg.nii.gz")
        ($ours.Shape -join 'x') | Should -Be ($monai.Shape -join 'x')
        $a = [double[]] $ours.GetVoxels()
        $b = [double[]] $monai.GetVoxels()
        $differ = 0
        for ($n = 0; $n -lt $b.Length; $n++) { if ($a[$n] -ne $b[$n]) { $differ++ } }
        $differ | Should -Be 0
    }

    It 'gives a classifier bundle''s class as MONAI''s predictions.csv has it' {
        $bundle = Join-Path $script:Bundles 'golden-rgb-cls'
        $result = Invoke-ClaraInference -Bundle $bundle -Path (Join-Path $bundle 'sample_data/blue_disc.png')
        $result.Task | Should -Be 'classification'
        # MONAI's final pred is AsDiscreted's argmax: the decided class; the probabilities are the softmax before it.
        @($result.Decided).Index | Should -Be @(2)
        @($result.Probabilities).Count | Should -Be 3
        (@($result.Probabilities) | Sort-Object Probability -Descending | Select-Object -First 1).Index | Should -Be 2
        ((@($result.Probabilities) | Measure-Object Probability -Sum).Sum - 1) | Should -BeLessThan 1e-5
    }

    It 'refuses a folder that is neither an MMAR nor a bundle, by name' {
        { Invoke-ClaraInference -Bundle $TestDrive -Path (Join-Path $script:Bundles 'golden-ct-seg/sample_data/ct_pls.nii.gz') -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*$TestDrive*"
    }
}
