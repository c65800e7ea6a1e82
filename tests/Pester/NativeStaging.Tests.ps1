# The module's native allow-list (build/ModuleFiles.psd1) and its staging (build/NativeStaging.psm1), for both torch
# backends and both packaged RIDs, on fake publish folders of empty files named as the real packages name them.
BeforeAll {
    $ErrorActionPreference = 'Stop'
    $script:BuildFolder = Join-Path (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent) 'build'
    Import-Module (Join-Path $BuildFolder 'NativeStaging.psm1') -Force
    $script:ModuleFiles = Import-PowerShellDataFile -LiteralPath (Join-Path $BuildFolder 'ModuleFiles.psd1')

    $script:Managed = @($ModuleFiles.Managed) + @('MdaiClara.Cmdlets.deps.json', 'MdaiClara.Cmdlets.pdb', 'MdaiClara.Cmdlets.xml')
    # As libtorch-cpu-linux-x64 2.10.0 + TorchSharp 0.107 + ScottPlot 5.1.59 (SkiaSharp, HarfBuzzSharp) publish them.
    $script:CpuLinux = @('libLibTorchSharp.so', 'libaoti_custom_ops.so', 'libbackend_with_compiler.so', 'libc10.so', 'libgomp-98b21ff3.so.1',
        'libjitbackend_test.so', 'libnnapi_backend.so', 'libshm.so', 'libtorch.so', 'libtorch_cpu.so', 'libtorch_global_deps.so', 'libtorch_python.so',
        'libtorchbind_test.so', 'libSkiaSharp.so', 'libHarfBuzzSharp.so')
    # As libtorch-cpu-win-x64 2.10.0 + TorchSharp 0.107 (+ SkiaSharp's and HarfBuzzSharp's Windows natives) publish them.
    $script:CpuWindows = @('LibTorchSharp.dll', 'c10.dll', 'libiomp5md.dll', 'libiompstubs5md.dll', 'torch.dll', 'torch_cpu.dll', 'torch_global_deps.dll',
        'uv.dll', 'libSkiaSharp.dll', 'libHarfBuzzSharp.dll')
    $script:LinuxStaged = @('libc10.so', 'libgomp-98b21ff3.so.1', 'libLibTorchSharp.so', 'libtorch.so', 'libtorch_cpu.so', 'libSkiaSharp.so', 'libHarfBuzzSharp.so') | Sort-Object
    $script:WindowsStaged = @('c10.dll', 'libiomp5md.dll', 'LibTorchSharp.dll', 'torch.dll', 'torch_cpu.dll', 'uv.dll', 'libSkiaSharp.dll', 'libHarfBuzzSharp.dll') | Sort-Object
    # A CUDA 12 libtorch's lib folder (hashed names as in the libtorch zips and wheels).
    $script:CudaLinuxExtra = @('libtorch_cuda.so', 'libc10_cuda.so', 'libtorch_cuda_linalg.so', 'libcaffe2_nvrtc.so', 'libcudart-218eec4c.so.12',
        'libcublas-f6acd947.so.12', 'libcublasLt-4ef47ad9.so.12', 'libcudnn.so.9', 'libcudnn_cnn.so.9', 'libcudnn_ops.so.9', 'libcudnn_graph.so.9',
        'libnvrtc-b51b459d.so.12', 'libnvrtc-builtins-ff7ff36d.so.12.8', 'libcufft-62ab7a7a.so.11', 'libcurand-44ed0ffc.so.10', 'libcusolver-1ad6e4e6.so.11',
        'libcusparse-4e72b1f0.so.12', 'libcusparseLt-7b1d6b7a.so.0', 'libnvJitLink-9ec2a0d5.so.12', 'libnccl.so.2', 'libcupti-ad4b8b9a.so.12')
    $script:CudaWindowsExtra = @('torch_cuda.dll', 'c10_cuda.dll', 'cudart64_12.dll', 'cublas64_12.dll', 'cublasLt64_12.dll', 'cudnn64_9.dll',
        'cudnn_adv64_9.dll', 'cudnn_cnn64_9.dll', 'cudnn_ops64_9.dll', 'cudnn_graph64_9.dll', 'cudnn_heuristic64_9.dll', 'nvrtc64_120_0.dll',
        'nvrtc-builtins64_128.dll', 'caffe2_nvrtc.dll', 'cufft64_11.dll', 'curand64_10.dll', 'cusolver64_11.dll', 'cusparse64_12.dll',
        'nvJitLink_120_0.dll')

    function New-FakePublish([string] $Name, [string[]] $Files) {
        $folder = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        foreach ($f in $Files) { New-Item -ItemType File -Force -Path (Join-Path $folder $f) | Out-Null }
        $folder
    }
}

Describe 'Native staging plans' {
    It 'stages exactly libtorch, its glue and the report''s graphics libraries for cpu on linux-x64 and leaves out tests and Python bindings' {
        $plan = Get-NativeStagingPlan -FileName ($Managed + $CpuLinux) -Backend cpu -Rid linux-x64 -ModuleFiles $ModuleFiles

        $plan.Stage | Sort-Object | Should -Be $LinuxStaged
        $plan.Missing | Should -BeNullOrEmpty
        $plan.Unclassified | Should -BeNullOrEmpty
        $plan.Excluded | Should -Contain 'libtorch_python.so'
        $plan.Excluded | Should -Contain 'libtorchbind_test.so'
        { Assert-NativeStagingPlan -Plan $plan } | Should -Not -Throw
    }

    It 'stages the CUDA libraries for cuda on linux-x64' {
        $plan = Get-NativeStagingPlan -FileName ($Managed + $CpuLinux + $CudaLinuxExtra) -Backend cuda -Rid linux-x64 -ModuleFiles $ModuleFiles

        foreach ($name in $CudaLinuxExtra) { $plan.Stage | Should -Contain $name }
        $plan.Stage | Should -Contain 'libtorch_cpu.so'
        $plan.Missing | Should -BeNullOrEmpty
        $plan.Unclassified | Should -BeNullOrEmpty
    }

    It 'refuses a cuda build whose output lacks the CUDA libraries, naming them' {
        $plan = Get-NativeStagingPlan -FileName ($Managed + $CpuLinux) -Backend cuda -Rid linux-x64 -ModuleFiles $ModuleFiles

        $plan.Missing | Should -Contain 'libtorch_cuda.so'
        $plan.Missing | Should -Contain 'libcudnn*.so*'
        { Assert-NativeStagingPlan -Plan $plan } | Should -Throw '*lacks the native libraries libtorch_cuda.so, libc10_cuda.so*torch backend cuda, linux-x64*'
    }

    It 'refuses to drop a native library no list names (a CUDA output staged with the cpu list)' {
        $plan = Get-NativeStagingPlan -FileName ($Managed + $CpuLinux + $CudaLinuxExtra) -Backend cpu -Rid linux-x64 -ModuleFiles $ModuleFiles

        $plan.Unclassified | Should -Contain 'libtorch_cuda.so'
        $plan.Stage | Should -Not -Contain 'libtorch_cuda.so'
        { Assert-NativeStagingPlan -Plan $plan } | Should -Throw '*does not name for torch backend cpu on linux-x64: *libtorch_cuda.so*Add each to Required, Optional or Excluded*'
    }

    It 'stages the Windows DLLs for cpu on win-x64 and tells managed from native DLLs' {
        $plan = Get-NativeStagingPlan -FileName ($Managed + $CpuWindows) -Backend cpu -Rid win-x64 -ModuleFiles $ModuleFiles

        $plan.Stage | Sort-Object | Should -Be $WindowsStaged
        $plan.Stage | Should -Not -Contain 'TorchSharp.dll'
        $plan.Stage | Should -Not -Contain 'SkiaSharp.dll'
        $plan.Excluded | Sort-Object | Should -Be (@('libiompstubs5md.dll', 'torch_global_deps.dll') | Sort-Object)
        $plan.Unclassified | Should -BeNullOrEmpty
        $plan.Missing | Should -BeNullOrEmpty
    }

    It 'stages the CUDA DLLs for cuda on win-x64 and flags an unknown DLL' {
        $plan = Get-NativeStagingPlan -FileName ($Managed + $CpuWindows + $CudaWindowsExtra + 'mystery.dll') -Backend cuda -Rid win-x64 -ModuleFiles $ModuleFiles

        foreach ($name in $CudaWindowsExtra) { $plan.Stage | Should -Contain $name }
        $plan.Missing | Should -BeNullOrEmpty
        $plan.Unclassified | Should -Be @('mystery.dll')
    }

    It 'names the backend and RID it has no list for' {
        { Get-NativeStagingPlan -FileName @() -Backend cuda -Rid osx-arm64 -ModuleFiles $ModuleFiles } | Should -Throw "*torch backend 'cuda' on osx-arm64*"
        { Get-NativeStagingPlan -FileName @() -Backend rocm -Rid linux-x64 -ModuleFiles $ModuleFiles } | Should -Throw "*backend 'rocm'*"
    }
}

Describe 'Native staging into one bin folder per RID' {
    It 'copies both RIDs side by side, removes what is no longer shipped, and takes Windows-style names as they are' {
        $bin = Join-Path $TestDrive 'module/bin'
        $linux = New-FakePublish 'publish-linux' ($Managed + $CpuLinux)
        $windows = New-FakePublish 'publish-windows' ($Managed + $CpuWindows)
        New-Item -ItemType Directory -Force -Path (Join-Path $bin 'linux-x64') | Out-Null
        New-Item -ItemType File -Force -Path (Join-Path $bin 'linux-x64/libmdaiclara_glibcxx_shim.so') | Out-Null

        foreach ($case in @(@{ Folder = $linux; Rid = 'linux-x64' }, @{ Folder = $windows; Rid = 'win-x64' })) {
            $files = Get-FileMap $case.Folder
            $plan = Get-NativeStagingPlan -FileName @($files.Keys) -Backend cpu -Rid $case.Rid -ModuleFiles $ModuleFiles
            Copy-NativeStagingPlan -Plan $plan -Files $files -BinFolder $bin | Should -Be (Join-Path $bin $case.Rid)
        }

        @(Get-ChildItem (Join-Path $bin 'linux-x64') -File).Name | Sort-Object | Should -Be $LinuxStaged
        @(Get-ChildItem (Join-Path $bin 'win-x64') -File).Name | Sort-Object | Should -Be $WindowsStaged
        @(Get-ChildItem $bin -File) | Should -BeNullOrEmpty
    }

    It 'stops before copying anything when a required library is missing' {
        $bin = Join-Path $TestDrive 'module2/bin'
        $files = Get-FileMap (New-FakePublish 'publish-partial' ($CpuWindows | Where-Object { $_ -ne 'torch_cpu.dll' }))
        $plan = Get-NativeStagingPlan -FileName @($files.Keys) -Backend cpu -Rid win-x64 -ModuleFiles $ModuleFiles

        { Copy-NativeStagingPlan -Plan $plan -Files $files -BinFolder $bin -Source 'The NuGet packages for win-x64' } | Should -Throw 'The NuGet packages for win-x64 lacks the native libraries torch_cpu.dll*'
        Test-Path (Join-Path $bin 'win-x64') | Should -BeFalse
    }
}
