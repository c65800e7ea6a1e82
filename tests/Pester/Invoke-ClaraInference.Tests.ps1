BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'
    $script:Golden = Join-Path $Fixtures 'golden'

    function Invoke-Nibabel {
        # Affine, shape and dtype of a NIfTI file as nibabel reads it.
        param([string] $Path)
        $script = 'import sys, json, nibabel as nib, numpy as np; i = nib.load(sys.argv[1]); d = np.asanyarray(i.dataobj); print(json.dumps({"affine": i.affine.tolist(), "shape": list(d.shape), "dtype": str(d.dtype), "max": float(d.max())}))'
        $out = & /usr/bin/python3 -c $script $Path
        if ($LASTEXITCODE -ne 0) { throw "nibabel could not read $Path" }
        $out | ConvertFrom-Json
    }

    function New-GoldenMmar {
        # A minimal MMAR around one golden case's config and model (as the xunit golden tests build it).
        param([string] $Case, [string] $Model)
        $root = Join-Path $TestDrive "mmar-$Case"
        $null = New-Item -ItemType Directory (Join-Path $root 'config'), (Join-Path $root 'models') -Force
        Copy-Item (Join-Path $Golden "pipelines/$Case/config_inference.json") (Join-Path $root 'config')
        Copy-Item (Join-Path $Golden "models/$Model/model.ts") (Join-Path $root 'models')
        @{ DATA_ROOT = '.'; DATASET_JSON = 'config/dataset.json'; MMAR_EVAL_OUTPUT_PATH = 'eval'; MMAR_TORCHSCRIPT = 'models/model.ts' } |
            ConvertTo-Json | Set-Content (Join-Path $root 'config/environment.json')
        $root
    }

    $script:NiftiResult = Invoke-ClaraInference -Mmar $SampleMmar -Path (Join-Path $Phantom 'phantom_ct.nii.gz') -OutputPath (Join-Path $TestDrive 'out') -Device Cpu
}

Describe 'Invoke-ClaraInference' {
    It 'segments a NIfTI volume and returns the label map on its grid' {
        $r = $NiftiResult
        $r.PSObject.TypeNames[0] | Should -Be 'MdaiClara.InferenceResult'
        $r.Task | Should -Be 'segmentation'
        $r.Device | Should -Be 'cpu'
        $r.Semantics | Should -Match '0\.8\.1'
        $r.Shape | Should -Be @(96, 88, 40)
        $r.Label.Shape | Should -Be @(96, 88, 40)
        $input = Import-MedicalImage (Join-Path $Phantom 'phantom_ct.nii.gz')
        $r.Label.Affine.MaxAbsDifference($input.Affine) | Should -BeLessThan 1e-6
        $r.Windows | Should -BeGreaterThan 1
        $r.Timings.InferenceMs | Should -BeGreaterThan 0
    }

    It 'reports every class with its voxels and volume, and finds the organ' {
        $r = $NiftiResult
        $r.Classes.Count | Should -Be 3
        $r.Classes.Name | Should -Be @('background', 'organ', 'lesion')
        ($r.Classes | Measure-Object Voxels -Sum).Sum | Should -Be (96 * 88 * 40)
        $r.Classes[1].Voxels | Should -BeGreaterThan 1000
        [math]::Abs($r.Classes[1].VolumeMl - $r.Classes[1].Voxels * 0.8 * 0.8 * 2.5 / 1000) | Should -BeLessThan 1e-6
    }

    It 'writes the label map as phantom_ct_seg.nii.gz, which nibabel reads on the input grid' {
        $file = Join-Path $TestDrive 'out/phantom_ct_seg.nii.gz'
        $NiftiResult.OutputFiles | Should -Be @($file)
        $peer = Invoke-Nibabel $file
        $peer.shape | Should -Be @(96, 88, 40)
        $peer.dtype | Should -Be 'uint8'
        $peer.max | Should -BeLessOrEqual 2
        $source = Invoke-Nibabel (Join-Path $Phantom 'phantom_ct.nii.gz')
        for ($row = 0; $row -lt 3; $row++) { for ($c = 0; $c -lt 4; $c++) { [math]::Abs($peer.affine[$row][$c] - $source.affine[$row][$c]) | Should -BeLessThan 1e-4 } }
        Get-ChildItem (Join-Path $TestDrive 'out') -Filter '*.tmp*' | Should -BeNullOrEmpty
    }

    It 'gives the same label map for the DICOM series of the same phantom, with its DICOM geometry' {
        $r = Invoke-ClaraInference -Mmar (Get-Mmar $SampleMmar) -Path (Join-Path $Phantom 'dicom') -Device Cpu
        $r.Input | Should -Match '^2\.25\.'
        $r.Label.Dicom.Slices.Count | Should -Be 40
        $series = Import-MedicalImage (Join-Path $Phantom 'dicom')
        $r.Label.Affine.MaxAbsDifference($series.Affine) | Should -BeLessThan 1e-6
        $a = $r.Label.GetVoxels(); $b = $NiftiResult.Label.GetVoxels()
        $same = 0; for ($n = 0; $n -lt $a.Length; $n++) { if ($a[$n] -eq $b[$n]) { $same++ } }
        ($same / $a.Length) | Should -BeGreaterThan 0.999
    }

    It 'takes volumes from Import-MedicalImage and writes probabilities on request' {
        $out = Join-Path $TestDrive 'probs'
        $r = Import-MedicalImage (Join-Path $Phantom 'phantom_ct.nii.gz') | Invoke-ClaraInference -Mmar $SampleMmar -OutputPath $out -SaveProbabilities -Device Cpu
        $r.OutputFiles | Should -HaveCount 2
        $prob = Invoke-Nibabel (Join-Path $out 'phantom_ct_prob.nii.gz')
        $prob.shape | Should -Be @(96, 88, 40, 3)
        $prob.dtype | Should -Be 'float32'
        $prob.max | Should -BeLessOrEqual 1.0
    }

    It 'honours -WhatIf: nothing is run or written' {
        $out = Join-Path $TestDrive 'whatif'
        $r = Invoke-ClaraInference -Mmar $SampleMmar -Path (Join-Path $Phantom 'phantom_ct.nii.gz') -OutputPath $out -WhatIf -Device Cpu
        $r | Should -BeNullOrEmpty
        $out | Should -Not -Exist
    }

    It 'reports a bad input and goes on with the next' {
        $bad = Join-Path $TestDrive 'bad.nii.gz'
        [IO.File]::WriteAllBytes($bad, [byte[]](31, 139, 8, 0, 1, 2, 3))
        $results = Invoke-ClaraInference -Mmar $SampleMmar -Path $bad, (Join-Path $Phantom 'phantom_ct.nii.gz') -Device Cpu -ErrorVariable errors -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].ToString() | Should -Match 'bad\.nii\.gz'
        $errors[0].ToString() | Should -Not -Match 'System\.'
    }

    It 'stops before running anything when the MMAR names a transform it cannot run' {
        $copy = New-SampleCopy 'unknown-transform'
        $config = Join-Path $copy 'config/config_inference.json'
        (Get-Content $config -Raw) -replace '"ScaleIntensityRanged"', '"RandGaussianNoised"' | Set-Content $config
        { Invoke-ClaraInference -Mmar $copy -Path (Join-Path $Phantom 'phantom_ct.nii.gz') -Device Cpu } |
            Should -Throw -ErrorId 'TransformUnknown,MdaiClara.Cmdlets.Commands.InvokeClaraInferenceCommand'
    }

    It 'says clearly when CUDA is asked for and absent' {
        { Invoke-ClaraInference -Mmar $SampleMmar -Path (Join-Path $Phantom 'phantom_ct.nii.gz') -Device Cuda } |
            Should -Throw -ErrorId 'CudaUnavailable,MdaiClara.Cmdlets.Commands.InvokeClaraInferenceCommand'
    }

    It 'classifies a radiograph with the class names of the model' {
        $mmar = New-GoldenMmar -Case 'cls_png8' -Model 'cls2d'
        $r = Invoke-ClaraInference -Mmar $mmar -Path (Join-Path $Golden 'inputs/png/cxr_png8.png') -MonaiSemantics 1.3 -Device Cpu
        $r.Task | Should -Be 'classification'
        $r.Probabilities.Count | Should -Be 15
        $expected = & /usr/bin/python3 -c "import numpy, sys; print(' '.join(str(float(v)) for v in numpy.load(sys.argv[1])))" (Join-Path $Golden 'pipelines/cls_png8/prob.npy')
        $reference = $expected.Split(' ') | ForEach-Object { [double] $_ }
        for ($k = 0; $k -lt 15; $k++) { [math]::Abs($r.Probabilities[$k].Probability - $reference[$k]) | Should -BeLessThan 1e-4 }
    }

    It 'gives two inputs with one name two sets of files' {
        $one = New-Item -ItemType Directory (Join-Path $TestDrive 'a'); $two = New-Item -ItemType Directory (Join-Path $TestDrive 'b')
        foreach ($folder in $one, $two) { Copy-Item (Join-Path $Phantom 'phantom_ct.nii.gz') $folder }
        $out = Join-Path $TestDrive 'twice'
        $results = Invoke-ClaraInference -Mmar $SampleMmar -Path (Join-Path $one 'phantom_ct.nii.gz'), (Join-Path $two 'phantom_ct.nii.gz') -OutputPath $out -Device Cpu -WarningVariable warnings -WarningAction SilentlyContinue
        $results.Input | Should -Be @('phantom_ct', 'phantom_ct-2')
        (Get-ChildItem $out).Name | Sort-Object | Should -Be (@('phantom_ct-2_seg.nii.gz', 'phantom_ct_seg.nii.gz') | Sort-Object)
        ($warnings -join ' ') | Should -Match "also named 'phantom_ct'"
    }

    It 'refuses a window larger than it can hold before loading anything' {
        { Invoke-ClaraInference -Mmar $SampleMmar -Path (Join-Path $Phantom 'phantom_ct.nii.gz') -RoiSize 100000, 64, 64 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,MdaiClara.Cmdlets.Commands.InvokeClaraInferenceCommand'
    }

    It 'refuses a MONAI version it does not know' {
        { Invoke-ClaraInference -Mmar $SampleMmar -Path (Join-Path $Phantom 'phantom_ct.nii.gz') -MonaiSemantics 2.0 } |
            Should -Throw -ErrorId 'MonaiSemanticsUnknown,MdaiClara.Cmdlets.Commands.InvokeClaraInferenceCommand'
    }

    It 'shows a table a user can read' {
        $table = $NiftiResult | Format-Table | Out-String -Width 160
        $table | Should -Match 'phantom_ct'
        $table | Should -Match 'organ [0-9.]+ mL'
    }
}
