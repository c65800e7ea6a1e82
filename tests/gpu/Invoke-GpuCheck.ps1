<#
.SYNOPSIS
    The CUDA checks, for a machine with an NVIDIA GPU: the golden pipeline tests on the GPU, then the inference benchmark
    on the GPU against the CPU in the same run, with the agreement of their results.
.DESCRIPTION
    This project's NuGet feed serves no CUDA build of TorchSharp, so the module runs on a CUDA libtorch of the same
    version (2.10) taken from an installed PyTorch: pass its lib folder as -LibTorch, or have `python3 -c "import torch"`
    find a CUDA PyTorch 2.10 (its torch/lib is used). MdaiClara loads libc10, libc10_cuda, libtorch_cpu, libtorch_cuda
    and libtorch from there before libLibTorchSharp (see TorchRuntime, MDAICLARA_LIBTORCH).
    Run from the repository root after `dotnet tool restore`:
        dotnet pwsh ./tests/gpu/Invoke-GpuCheck.ps1 [-LibTorch <…/torch/lib>]
    Writes output/gpu/gpu-check.json and exits non-zero when a check fails.
#>
[CmdletBinding()]
param(
    [string] $LibTorch,
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$out = Join-Path $root 'output/gpu'
$null = New-Item -ItemType Directory -Force $out

& nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
if ($LASTEXITCODE -ne 0) { throw 'nvidia-smi failed: this machine has no usable NVIDIA GPU.' }

if (-not $LibTorch) {
    $LibTorch = & python3 -c "import torch, os; assert torch.cuda.is_available(), 'torch has no CUDA'; assert torch.__version__.startswith('2.10'), 'torch ' + torch.__version__ + ' is not 2.10'; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))"
    if ($LASTEXITCODE -ne 0 -or -not $LibTorch) { throw 'No CUDA libtorch 2.10: pass -LibTorch <folder with libtorch_cuda.so>, or install PyTorch 2.10 with CUDA for python3.' }
}
if (-not (Test-Path (Join-Path $LibTorch 'libtorch_cuda.so'))) { throw "$LibTorch has no libtorch_cuda.so." }
$env:MDAICLARA_LIBTORCH = $LibTorch

& dotnet pwsh (Join-Path $root 'build.ps1') -Task Build -Configuration $Configuration
if ($LASTEXITCODE -ne 0) { throw 'Build failed.' }

# 1. Every golden pipeline case on the GPU, with the MANIFEST's tolerances.
$env:MDAICLARA_TEST_DEVICE = 'cuda'
& dotnet test (Join-Path $root 'tests/MdaiClara.Engine.Tests') -c $Configuration --filter 'FullyQualifiedName~GoldenPipelineTests|FullyQualifiedName~Inference.Inferers' --logger 'console;verbosity=normal'
$goldenPassed = $LASTEXITCODE -eq 0
Remove-Item Env:MDAICLARA_TEST_DEVICE

# 2. The inference benchmark volume on CUDA and on the CPU in one process: speed, and agreement of the label maps.
$module = Get-ChildItem (Join-Path $root 'output/MdaiClara') -Filter MdaiClara.psd1 -Recurse | Select-Object -First 1 -ExpandProperty FullName
$ct = Join-Path $out 'ct256.nii.gz'
& python3 (Join-Path $root 'tests/Bench/imaging_peer.py') ct256 $ct
if ($LASTEXITCODE -ne 0) { throw 'Could not write the benchmark volume (needs nibabel).' }
$script = @"
Import-Module '$module'
`$m = Get-Mmar '$(Join-Path $root 'samples/clara_pt_phantom_ct_segmentation')'
`$null = Invoke-ClaraInference -Mmar `$m -Path '$ct' -Device Cuda
`$sw = [Diagnostics.Stopwatch]::StartNew(); `$gpu = Invoke-ClaraInference -Mmar `$m -Path '$ct' -Device Cuda; `$gpuSeconds = `$sw.Elapsed.TotalSeconds
`$sw.Restart(); `$cpu = Invoke-ClaraInference -Mmar `$m -Path '$ct' -Device Cpu; `$cpuSeconds = `$sw.Elapsed.TotalSeconds
`$a = `$gpu.Label.GetVoxels(); `$b = `$cpu.Label.GetVoxels(); `$same = 0
for (`$n = 0; `$n -lt `$a.Length; `$n++) { if (`$a[`$n] -eq `$b[`$n]) { `$same++ } }
[ordered]@{ device = `$gpu.Device; gpu_seconds = `$gpuSeconds; cpu_seconds = `$cpuSeconds; cpu_over_gpu = `$cpuSeconds / `$gpuSeconds; label_agreement = `$same / `$a.Length; gpu_timings = `$gpu.Timings.ToString(); cpu_timings = `$cpu.Timings.ToString() } | ConvertTo-Json -Compress
"@
$line = & dotnet pwsh -NoProfile -NonInteractive -Command $script | Select-Object -Last 1
$bench = $line | ConvertFrom-Json
$report = [ordered]@{ golden_tests_on_cuda_passed = $goldenPassed; benchmark = $bench; libtorch = $LibTorch; date = (Get-Date).ToString('o') }
$report | ConvertTo-Json -Depth 4 | Set-Content (Join-Path $out 'gpu-check.json')
$report | ConvertTo-Json -Depth 4 | Write-Host
if (-not $goldenPassed -or $bench.device -notlike 'cuda*' -or $bench.label_agreement -lt 0.999) { exit 1 }
