# What the module ships: an explicit list, checked after every build (build/NativeStaging.psm1 applies it).
#   Managed   the assemblies, staged to bin/ (the same for every platform).
#   Natives   per torch backend, then per runtime identifier, staged to bin/<rid>/:
#             Required  patterns that must each match a file of the publish output (or the build stops);
#             Optional  patterns staged when present;
#             Excluded  native files that are known and left out (tests, Python bindings, stubs).
#             A native file that none of these names stops the build, so a new libtorch cannot silently ship
#             without a library it needs: add it to Required, Optional or Excluded.
# SkiaSharp and HarfBuzzSharp (ScottPlot's renderer, for the validation report's pictures) ship their natives for every
# RID: libSkiaSharp and libHarfBuzzSharp are Required (Reporting loads them from bin/<rid>/, see Reporting/SkiaNatives.cs).
# The CUDA lists follow the layout of libtorch's CUDA builds (torch/lib of a CUDA wheel, the libtorch
# cxx11 zip, the TorchSharp-cuda-* packages): hashed names such as libcudart-<hash>.so.12 are matched by pattern.
@{
    Managed = @('MdaiClara.Cmdlets.dll', 'MdaiClara.Engine.dll', 'TorchSharp.dll', 'Google.Protobuf.dll', 'ICSharpCode.SharpZipLib.dll',
        'SkiaSharp.dll', 'StbImageSharp.dll', 'YamlDotNet.dll', 'ScottPlot.dll', 'SkiaSharp.HarfBuzz.dll', 'HarfBuzzSharp.dll',
        'Polly.Core.dll')

    Natives = @{
        cpu  = @{
            'linux-x64' = @{
                Required = @('libLibTorchSharp.so', 'libtorch.so', 'libtorch_cpu.so', 'libc10.so', 'libgomp-*.so.1', 'libSkiaSharp.so', 'libHarfBuzzSharp.so')
                Optional = @()
                Excluded = @('libtorch_python.so', 'libshm.so', 'libtorch_global_deps.so', 'libaoti_custom_ops.so', 'libbackend_with_compiler.so',
                    'libjitbackend_test.so', 'libnnapi_backend.so', 'libtorchbind_test.so')
            }
            'win-x64'   = @{
                Required = @('LibTorchSharp.dll', 'torch.dll', 'torch_cpu.dll', 'c10.dll', 'libiomp5md.dll', 'libSkiaSharp.dll', 'libHarfBuzzSharp.dll')
                Optional = @('uv.dll')
                Excluded = @('torch_global_deps.dll', 'libiompstubs5md.dll')
            }
            'osx-arm64' = @{
                Required = @('libLibTorchSharp.dylib', 'libtorch.dylib', 'libtorch_cpu.dylib', 'libc10.dylib', 'libSkiaSharp.dylib', 'libHarfBuzzSharp.dylib')
                Optional = @('libomp.dylib')
                Excluded = @('libtorch_python.dylib', 'libshm.dylib', 'libtorch_global_deps.dylib')
            }
        }
        cuda = @{
            'linux-x64' = @{
                Required = @('libLibTorchSharp.so', 'libtorch.so', 'libtorch_cpu.so', 'libc10.so', 'libtorch_cuda.so', 'libc10_cuda.so', 'libSkiaSharp.so', 'libHarfBuzzSharp.so',
                    'libcudart*.so*', 'libcublas*.so*', 'libcudnn*.so*', 'libnvrtc*.so*')
                Optional = @('libgomp-*.so.1', 'libtorch_cuda_linalg.so', 'libcaffe2_nvrtc.so', 'libcufft*.so*', 'libcurand*.so*', 'libcusolver*.so*',
                    'libcusparse*.so*', 'libnvJitLink*.so*', 'libnvToolsExt*.so*', 'libnccl*.so*', 'libcupti*.so*', 'libnvshmem*.so*', 'libcufile*.so*')
                Excluded = @('libtorch_python.so', 'libshm.so', 'libtorch_global_deps.so', 'libaoti_custom_ops.so', 'libbackend_with_compiler.so',
                    'libjitbackend_test.so', 'libnnapi_backend.so', 'libtorchbind_test.so')
            }
            'win-x64'   = @{
                Required = @('LibTorchSharp.dll', 'torch.dll', 'torch_cpu.dll', 'c10.dll', 'torch_cuda.dll', 'c10_cuda.dll', 'libSkiaSharp.dll', 'libHarfBuzzSharp.dll',
                    'cudart64_*.dll', 'cublas*64_*.dll', 'cudnn*64_*.dll', 'nvrtc64_*.dll')
                Optional = @('libiomp5md.dll', 'uv.dll', 'torch_cuda_*.dll', 'caffe2_nvrtc.dll', 'nvrtc-builtins64_*.dll', 'cufft*64_*.dll', 'curand64_*.dll',
                    'cusolver*64_*.dll', 'cusparse*64_*.dll', 'nvJitLink_*.dll', 'nvToolsExt64_*.dll', 'cupti64_*.dll', 'zlibwapi.dll')
                Excluded = @('torch_global_deps.dll', 'libiompstubs5md.dll')
            }
        }
    }
}
