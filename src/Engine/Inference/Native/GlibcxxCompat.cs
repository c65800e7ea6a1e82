using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Inference.Native;

/// <summary>What a libLibTorchSharp.so needs from libstdc++ and whether the compat fix is already applied.</summary>
public sealed record GlibcxxCompatState(bool NeedsVersion, bool VersionIsWeak, bool SymbolsUnversioned, bool NeedsShim, IReadOnlyList<string> Symbols)
{
    /// <summary>The fix is complete: the need is weak, its symbols unversioned and the shim is a dependency.</summary>
    public bool IsPatched => NeedsVersion && VersionIsWeak && SymbolsUnversioned && NeedsShim;
}

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++) for one symbol only,
/// <c>std::ios_base_library_init()</c>. Debian 12, Ubuntu 22.04 and RHEL 8/9 ship older libstdc++, so the load fails.
/// The fix, applied to a copy and only on such hosts: mark that version need weak, bind the symbol unversioned,
/// and add a DT_NEEDED on a tiny shim that defines the function (empty: it only initialises iostreams, which the
/// older libstdc++ does by itself). On a host that has GLIBCXX_3.4.32 the real definition wins.
/// </summary>
public static class GlibcxxCompat
{
    public const string MissingVersion = "GLIBCXX_3.4.32";
    public const string LibStdCxx = "libstdc++.so.6";
    public const string ShimFileName = "libmdaiclara_glibcxx_shim.so";

    /// <summary>The symbols the shim defines; the fix refuses libraries that need anything else from that version.</summary>
    public static readonly IReadOnlyList<string> ShimSymbols = new[] { "_ZSt21ios_base_library_initv" };

    /// <summary>C source of the shim; compiled at build time with the host's C compiler.</summary>
    public const string ShimSource =
        "/* MdaiClara: stands in for GCC 13's std::ios_base_library_init() on hosts whose libstdc++ predates it.\n" +
        "   Older libstdc++ initialises iostreams in its own static constructors, so nothing is left to do. */\n" +
        "void mdaiclara_ios_base_library_init(void) __asm__(\"_ZSt21ios_base_library_initv\");\n" +
        "void mdaiclara_ios_base_library_init(void) { }\n";

    private static readonly string[] LibStdCxxFolders =
    {
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib", "/lib",
        "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    };

    /// <summary>The host's libstdc++.so.6, from the standard library folders.</summary>
    public static string? FindHostLibStdCxx() =>
        LibStdCxxFolders.Select(f => Path.Combine(f, LibStdCxx)).FirstOrDefault(File.Exists);

    /// <summary>True when the host's libstdc++ defines <paramref name="version"/>.</summary>
    public static bool HostProvides(string version, string? libStdCxxPath = null)
    {
        var path = string.IsNullOrEmpty(libStdCxxPath) ? FindHostLibStdCxx() : libStdCxxPath;
        if (path is null)
        {
            return false;
        }

        return new ElfImage(File.ReadAllBytes(path)).VersionDefinitions().Contains(version, StringComparer.Ordinal);
    }

    public static GlibcxxCompatState Inspect(ElfImage image)
    {
        var needs = image.VersionNeeds().Where(n => n.File == LibStdCxx && n.Version == MissingVersion).ToList();
        if (needs.Count == 0)
        {
            return new GlibcxxCompatState(false, false, false, image.Needed().Contains(ShimFileName), Array.Empty<string>());
        }

        var need = needs[0];
        var symbols = image.SymbolsWithVersion(need.Index).Select(s => s.Name).ToList();
        return new GlibcxxCompatState(true, need.IsWeak, symbols.Count == 0, image.Needed().Contains(ShimFileName, StringComparer.Ordinal), symbols);
    }

    /// <summary>
    /// Marks the GLIBCXX_3.4.32 need weak and unbinds its symbols from that version, in place. Returns the symbols
    /// it unbound. Throws when the library needs a symbol of that version the shim does not define.
    /// </summary>
    public static IReadOnlyList<string> ApplyVersionEdits(ElfImage image)
    {
        var need = image.VersionNeeds().FirstOrDefault(n => n.File == LibStdCxx && n.Version == MissingVersion)
            ?? throw new InvalidOperationException($"the library does not need {MissingVersion}; nothing to fix");
        var symbols = image.SymbolsWithVersion(need.Index);
        var unknown = symbols.Select(s => s.Name).Except(ShimSymbols, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"the library needs {string.Join(", ", unknown)} from {MissingVersion}, which the shim does not provide; install a libstdc++ from GCC 13 or later instead");
        }

        foreach (var symbol in symbols)
        {
            image.MakeUnversioned(symbol);
        }

        image.MarkWeak(need);
        return symbols.Select(s => s.Name).ToList();
    }
}
