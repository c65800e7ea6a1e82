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
    public void NoRelocationRefersToTheAnchorSymbol()
    {
        var image = new ElfImage(File.ReadAllBytes(OriginalLibTorchSharp()));
        var anchor = image.SymbolsNamed("_ZSt21ios_base_library_initv").Single();
        var relocated = image.RelocatedSymbols();

        // The library has hundreds of relocated symbols (so the reader finds them), but not the anchor.
        Assert.True(relocated.Count > 100, $"only {relocated.Count} relocated symbols were read");
        var symbolCount = image.DynamicSymbols().Count;
        Assert.All(relocated, i => Assert.InRange(i, 1, symbolCount - 1));
        Assert.DoesNotContain(anchor.Index, relocated);
        Assert.Equal(ElfVersionedSymbol.BindGlobal, anchor.Binding);
    }

    [Fact]
    public void VersionEditsMakeTheNeedWeakAndTheSymbolUnversionedAndWeak()
    {
        var original = File.ReadAllBytes(OriginalLibTorchSharp());
        var image = new ElfImage((byte[])original.Clone());

        var changed = GlibcxxCompat.ApplyVersionEdits(image);

        var after = new ElfImage(image.Data);
        var need = after.VersionNeeds().Single(n => n.Version == GlibcxxCompat.MissingVersion);
        var anchor = after.SymbolsNamed("_ZSt21ios_base_library_initv").Single();
        Assert.Equal(new[] { "_ZSt21ios_base_library_initv" }, changed);
        Assert.True(need.IsWeak);
        Assert.Empty(after.SymbolsWithVersion(need.Index));
        Assert.True(anchor.IsWeak);
        Assert.True(anchor.IsUnversioned);
        Assert.True(GlibcxxCompat.Inspect(after).IsPatched);
        // Only those bytes changed (a flag, a version index, a binding); the file keeps its size and everything else.
        Assert.Equal(original.Length, image.Data.Length);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != image.Data[i]).ToList();
        Assert.Equal(3, differing.Count);
        Assert.Contains(need.FlagsOffset, differing.Select(i => (long)i));
        Assert.Contains(anchor.InfoOffset, differing.Select(i => (long)i));
        Assert.Contains(anchor.VersionOffset, differing.Select(i => (long)i));
    }

    [Fact]
    public void VersionEditsAreIdempotentAndFinishAPartlyFixedCopy()
    {
        var image = new ElfImage(File.ReadAllBytes(OriginalLibTorchSharp()));
        var need = image.VersionNeeds().Single(n => n.Version == GlibcxxCompat.MissingVersion);
        // The earlier fix (with patchelf) left the need weak and the anchor unversioned but global.
        image.MakeUnversioned(image.SymbolsWithVersion(need.Index).Single());
        image.MarkWeak(need);
        Assert.False(GlibcxxCompat.Inspect(new ElfImage(image.Data)).IsPatched);

        GlibcxxCompat.ApplyVersionEdits(image);
        var once = (byte[])image.Data.Clone();
        GlibcxxCompat.ApplyVersionEdits(image);

        Assert.True(GlibcxxCompat.Inspect(new ElfImage(image.Data)).IsPatched);
        Assert.Equal(once, image.Data);
    }

    [Fact]
    public void RefusesWhenARelocationUsesTheAnchor()
    {
        var image = new ElfImage(File.ReadAllBytes(OriginalLibTorchSharp()));
        var anchor = image.SymbolsNamed("_ZSt21ios_base_library_initv").Single();
        var relocation = FirstDynamicRelocation(image.Data);
        // Point one relocation at the anchor: then code would use it, and an unresolved weak symbol would be 0.
        BitConverter.GetBytes((uint)anchor.Index).CopyTo(image.Data, relocation + 12);

        var ex = Assert.Throws<InvalidOperationException>(() => GlibcxxCompat.ApplyVersionEdits(image));

        Assert.Contains("_ZSt21ios_base_library_initv", ex.Message);
        Assert.Contains("relocation", ex.Message);
    }

    /// <summary>File offset of the first entry of the first SHT_RELA section (r_info's high word is at +12).</summary>
    private static int FirstDynamicRelocation(byte[] data)
    {
        var shoff = (int)BitConverter.ToUInt64(data, 0x28);
        var count = BitConverter.ToUInt16(data, 0x3C);
        for (var i = 0; i < count; i++)
        {
            var at = shoff + (i * 64);
            if (BitConverter.ToUInt32(data, at + 4) == 4 && BitConverter.ToUInt64(data, at + 0x20) >= 24)
            {
                return (int)BitConverter.ToUInt64(data, at + 0x18);
            }
        }

        throw new InvalidOperationException("no SHT_RELA section");
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
