using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Inference.Native;
using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

public class GlibcxxCompatTests
{
    /// <summary>The untouched libLibTorchSharp.so from the TorchSharp package in the NuGet cache.</summary>
    private static string OriginalLibTorchSharp()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"expected the restored TorchSharp package at {path}");
        return path;
    }

    [Fact]
    public void TheShippedLibraryNeedsGlibcxx3432ForOneSymbolOnly()
    {
        var image = new ElfImage(File.ReadAllBytes(OriginalLibTorchSharp()));

        var state = GlibcxxCompat.Inspect(image);

        Assert.True(state.NeedsVersion);
        Assert.False(state.IsPatched);
        Assert.Equal(new[] { "_ZSt21ios_base_library_initv" }, state.Symbols);
        Assert.Contains("libtorch.so", image.Needed());
        Assert.StartsWith("$ORIGIN", image.RunPath());
    }

    [Fact]
    public void VersionEditsMakeTheNeedWeakAndTheSymbolUnversioned()
    {
        var bytes = File.ReadAllBytes(OriginalLibTorchSharp());
        var image = new ElfImage(bytes);

        var unbound = GlibcxxCompat.ApplyVersionEdits(image);

        var after = new ElfImage(image.Data);
        var need = after.VersionNeeds().Single(n => n.Version == GlibcxxCompat.MissingVersion);
        Assert.Equal(new[] { "_ZSt21ios_base_library_initv" }, unbound);
        Assert.True(need.IsWeak);
        Assert.Empty(after.SymbolsWithVersion(need.Index));
        // Only those bytes changed: every other version need is as it was.
        var before = new ElfImage(File.ReadAllBytes(OriginalLibTorchSharp())).VersionNeeds().Where(n => n.Version != GlibcxxCompat.MissingVersion);
        Assert.Equal(before.Select(n => (n.File, n.Version, n.Flags)), after.VersionNeeds().Where(n => n.Version != GlibcxxCompat.MissingVersion).Select(n => (n.File, n.Version, n.Flags)));
    }

    [Fact]
    public void ReadsTheVersionsTheHostLibStdCxxDefines()
    {
        var host = GlibcxxCompat.FindHostLibStdCxx();
        Assert.NotNull(host);

        var versions = new ElfImage(File.ReadAllBytes(host!)).VersionDefinitions();

        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Equal(versions.Contains(GlibcxxCompat.MissingVersion), GlibcxxCompat.HostProvides(GlibcxxCompat.MissingVersion));
    }

    [Fact]
    public void TheTestHostsCopyWasPatchedExactlyWhenTheHostNeedsIt()
    {
        var copy = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var state = GlibcxxCompat.Inspect(new ElfImage(File.ReadAllBytes(copy)));
        var hostNeedsFix = !GlibcxxCompat.HostProvides(GlibcxxCompat.MissingVersion);

        Assert.Equal(hostNeedsFix, state.IsPatched);
        Assert.Equal(hostNeedsFix, File.Exists(Path.Combine(Path.GetDirectoryName(copy)!, GlibcxxCompat.ShimFileName)));
    }

    [Fact]
    public void RefusesWhatIsNotA64BitElf()
    {
        Assert.Throws<FormatException>(() => new ElfImage(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1 }.Concat(new byte[100]).ToArray()));
        Assert.Throws<FormatException>(() => new ElfImage(new byte[200]));
    }

    [Fact]
    public void ATruncatedElfIsAFormatErrorNotACrash()
    {
        var bytes = File.ReadAllBytes(OriginalLibTorchSharp());

        Assert.Throws<FormatException>(() => new ElfImage(bytes[..(bytes.Length / 2)]));
    }
}
