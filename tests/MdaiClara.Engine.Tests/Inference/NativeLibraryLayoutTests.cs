using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Inference.Native;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

public class NativeLibraryLayoutTests
{
    private static readonly NativePlatform Windows = new(NativeOs.Windows, "win-x64");
    private static readonly NativePlatform Linux = new(NativeOs.Linux, "linux-x64");

    [Fact]
    public void OnWindowsTheModulesRidFolderComesFirstInWindowsSyntax()
    {
        const string bin = @"C:\Program Files\PowerShell\Modules\MdaiClara\0.1.0\bin";

        var candidates = NativeLibraryLayout.LibTorchSharpCandidates(Windows, bin, "linux-x64");

        Assert.Equal(
            new[]
            {
                @"C:\Program Files\PowerShell\Modules\MdaiClara\0.1.0\bin\win-x64\LibTorchSharp.dll",
                @"C:\Program Files\PowerShell\Modules\MdaiClara\0.1.0\bin\LibTorchSharp.dll",
                @"C:\Program Files\PowerShell\Modules\MdaiClara\0.1.0\bin\runtimes\win-x64\native\LibTorchSharp.dll",
                @"C:\Program Files\PowerShell\Modules\MdaiClara\0.1.0\bin\runtimes\linux-x64\native\LibTorchSharp.dll",
            },
            candidates);
    }

    [Theory]
    [InlineData(@"C:\Users\admin\Documents\PowerShell\Modules\MdaiClara\0.1.0\bin\")]
    [InlineData(@"C:\Users\admin\Documents\PowerShell\Modules\MdaiClara\0.1.0\bin/")]
    [InlineData(@"C:/Users/admin/Documents/PowerShell/Modules/MdaiClara/0.1.0/bin\\")]
    public void WindowsFoldersEndingInEitherSeparatorJoinCleanly(string bin)
    {
        var first = NativeLibraryLayout.LibTorchSharpCandidates(Windows, bin, "win-x64")[0];

        Assert.EndsWith(@"bin\win-x64\LibTorchSharp.dll", first, StringComparison.Ordinal);
        Assert.DoesNotContain(@"\\", first.Replace(@"C:\\", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("/win-x64", first, StringComparison.Ordinal);
    }

    [Fact]
    public void OnLinuxABackslashIsAFileNameCharacterNotASeparator()
    {
        var first = NativeLibraryLayout.LibTorchSharpCandidates(Linux, @"/opt/odd\name/bin/", "linux-x64")[0];

        Assert.Equal(@"/opt/odd\name/bin/linux-x64/libLibTorchSharp.so", first);
        Assert.Equal(@"/opt/odd\name/bin/linux-x64", NativeLibraryLayout.FolderOf(Linux, first));
        Assert.Equal(@"C:\m\bin\win-x64", NativeLibraryLayout.FolderOf(Windows, @"C:\m\bin\win-x64\LibTorchSharp.dll"));
    }

    [Fact]
    public void WindowsPreloadsLibtorchInDependencyOrderLinuxLeavesItToRunpath()
    {
        const string folder = @"D:\mods\MdaiClara\0.1.0\bin\win-x64";
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            folder + @"\torch.dll", folder + @"\torch_cpu.dll", folder + @"\c10.dll", folder + @"\libiomp5md.dll", folder + @"\uv.dll",
        };

        var windows = NativeLibraryLayout.DependenciesToPreload(Windows, folder, present.Contains);
        var linux = NativeLibraryLayout.DependenciesToPreload(Linux, "/m/bin/linux-x64", _ => true);

        // OpenMP and c10 before torch_cpu (which imports them), torch_cpu before torch; CUDA ones absent are skipped.
        Assert.Equal(new[] { "libiomp5md.dll", "uv.dll", "c10.dll", "torch_cpu.dll", "torch.dll" }, windows.Select(p => p[(folder.Length + 1)..]));
        Assert.Empty(linux);
    }

    [Fact]
    public void AnExternalLibtorchIsPreloadedWithThePlatformsFileNames()
    {
        var windows = NativeLibraryLayout.OverrideLibraries(Windows, @"C:\Python312\Lib\site-packages\torch\lib", _ => true);
        var linux = NativeLibraryLayout.OverrideLibraries(Linux, "/usr/lib/python3/dist-packages/torch/lib", p => !p.Contains("cuda", StringComparison.Ordinal));

        Assert.Equal(@"C:\Python312\Lib\site-packages\torch\lib\c10.dll", windows[0]);
        Assert.Equal(new[] { "c10.dll", "c10_cuda.dll", "torch_cpu.dll", "torch_cuda.dll", "torch.dll" }, windows.Select(p => p.Split('\\').Last()));
        Assert.Equal(new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" }, linux.Select(p => p.Split('/').Last()));
    }

    [Fact]
    public void TheCurrentPlatformIsWorkedOutAtRunTime()
    {
        var current = NativePlatform.Current;

        Assert.Equal(OperatingSystem.IsWindows() ? NativeOs.Windows : OperatingSystem.IsMacOS() ? NativeOs.MacOS : NativeOs.Linux, current.Os);
        Assert.Equal(Path.DirectorySeparatorChar, current.Separator);
        Assert.Matches("^(linux|win|osx)-(x64|arm64|x86)$", current.Rid);
    }
}
