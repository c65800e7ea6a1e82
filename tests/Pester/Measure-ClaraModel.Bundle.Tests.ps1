# Measure-ClaraModel -Bundle on the golden CT segmentation MONAI bundle (tests/fixtures/bundles/golden-ct-seg): against
# MONAI 1.3.2's own label map (expected/ct_pls_seg.nii.gz, which Invoke-ClaraInference -Bundle matches voxel for voxel)
# every class scores Dice 1; against a copy with half the organ's voxels cleared, the organ scores lower.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Bundle = Join-Path $script:RepoRoot 'tests/fixtures/bundles/golden-ct-seg'
    $script:Image = Join-Path $Bundle 'sample_data/ct_pls.nii.gz'
    $script:MonaiLabel = Join-Path $Bundle 'expected/ct_pls_seg.nii.gz'

    function New-PerturbedLabel {
        # MONAI's label map (NIfTI-1, uint8 voxels after vox_offset) with every other organ (1) voxel set to background.
        param([string] $Destination)
        $in = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($MonaiLabel), [IO.Compression.CompressionMode]::Decompress)
        $buffer = [IO.MemoryStream]::new()
        $in.CopyTo($buffer); $in.Dispose()
        $bytes = $buffer.ToArray()
        [BitConverter]::ToInt16($bytes, 70) | Should -Be 2 -Because 'the fixture label map is uint8'
        $offset = [int][BitConverter]::ToSingle($bytes, 108)
        $flip = $false; $cleared = 0
        for ($i = $offset; $i -lt $bytes.Length; $i++) {
            if ($bytes[$i] -eq 1) { if ($flip) { $bytes[$i] = 0; $cleared++ }; $flip = -not $flip }
        }
        $out = [IO.Compression.GZipStream]::new([IO.File]::Create($Destination), [IO.Compression.CompressionMode]::Compress)
        $out.Write($bytes, 0, $bytes.Length); $out.Dispose()
        $cleared
    }
}

Describe 'Measure-ClaraModel -Bundle' {
    It 'scores Dice 1 for every class against MONAI''s own label map' {
        $results = @(Measure-ClaraModel -Bundle $Bundle -Path $Image -LabelPath $MonaiLabel -OutputPath (Join-Path $TestDrive 'exact') -Device Cpu)
        $results.Count | Should -Be 2
        $case = $results[0]
        $case.PSObject.TypeNames[0] | Should -Be 'MdaiClara.ValidationCase'
        @($case.Classes.Name) | Should -Be @('organ', 'lesion')
        $case.DiceOf('organ') | Should -Be 1
        $case.DiceOf('lesion') | Should -Be 1
        Test-Path -LiteralPath $case.PredictionFile | Should -BeTrue
        $summary = $results[1]
        $summary.PSObject.TypeNames[0] | Should -Be 'MdaiClara.ValidationSummary'
        $summary.MeanDice | Should -Be 1
    }

    It 'scores lower where the truth differs from what the bundle predicts' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'perturbed')
        $label = Join-Path $folder 'ct_pls_seg.nii.gz'
        New-PerturbedLabel -Destination $label | Should -BeGreaterThan 100
        $case = Measure-ClaraModel -Bundle $Bundle -Path $Image -LabelPath $label -OutputPath (Join-Path $TestDrive 'perturbed-out') -Device Cpu |
            Where-Object { $_.PSObject.TypeNames[0] -eq 'MdaiClara.ValidationCase' }
        $organ = $case.DiceOf('organ')
        $organ | Should -BeLessThan 0.8
        $organ | Should -BeGreaterThan 0.5
        $case.DiceOf('lesion') | Should -Be 1
    }

    It 'says that a bundle without an evaluation config has no validation pipeline, and how to give ground truth instead' {
        Measure-ClaraModel -Bundle $Bundle -OutputPath (Join-Path $TestDrive 'none') -Device Cpu -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EvaluationConfigMissing*'
        $failed[0].Exception.Message | Should -BeLike '*without an evaluation config (configs/evaluate.json*'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Path and -LabelPath*'
    }

    It 'never writes inside the bundle' {
        $copy = Join-Path $TestDrive 'bundle-copy'
        Copy-Item -LiteralPath $Bundle -Destination $copy -Recurse
        { Measure-ClaraModel -Bundle $copy -Path $Image -LabelPath $MonaiLabel -OutputPath (Join-Path $copy 'out') -Device Cpu -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*inside the MONAI bundle*'
        Test-Path -LiteralPath (Join-Path $copy 'out') | Should -BeFalse
    }
}
