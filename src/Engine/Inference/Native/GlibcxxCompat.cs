using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Inference.Native;

/// <summary>What a libLibTorchSharp.so needs from libstdc++ and whether the compat fix is already applied.</summary>
/// <param name="NeedsVersion">The library has a version need on GLIBCXX_3.4.32.</param>
/// <param name="VersionIsWeak">That need carries VER_FLG_WEAK: the loader tolerates its absence.</param>
/// <param name="SymbolsUnversioned">No symbol is bound to that version any more.</param>
/// <param name="AnchorsWeak">Every anchor symbol the library has is an undefined weak symbol.</param>
/// <param name="Symbols">The symbols bound to that version (empty once fixed).</param>
public sealed record GlibcxxCompatState(bool NeedsVersion, bool VersionIsWeak, bool SymbolsUnversioned, bool AnchorsWeak, IReadOnlyList<string> Symbols)
{
    /// <summary>The fix is complete: the need is weak, its symbols unversioned and weak.</summary>
    public bool IsPatched => NeedsVersion && VersionIsWeak && SymbolsUnversioned && AnchorsWeak;
}

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's libstdc++) for one symbol only,
/// <c>std::ios_base_library_init()</c>. GCC 13's &lt;iostream&gt; names that symbol with a bare <c>.globl</c> to pull in
/// a libstdc++ that initialises iostreams itself: no code calls it and no relocation refers to it, it only anchors the
/// version. Debian 12, Ubuntu 22.04 and RHEL 8/9 ship an older libstdc++ (which initialises iostreams in its own static
/// constructors), so the load fails on the version alone. The fix, applied to a copy and only on such hosts, edits
/// bytes in place and moves nothing: mark that version need weak, bind the anchor unversioned and weak (an undefined
/// weak symbol may stay unresolved). It refuses a library in which any relocation refers to the anchor, or that needs
/// anything else from that version. On a host that has GLIBCXX_3.4.32 nothing is changed.
/// </summary>
public static class GlibcxxCompat
{
    public const string MissingVersion = "GLIBCXX_3.4.32";
    public const string LibStdCxx = "libstdc++.so.6";

    /// <summary>The symbols that only anchor the version; the fix refuses libraries that need anything else from it.</summary>
    public static readonly IReadOnlyList<string> AnchorSymbols = new[] { "_ZSt21ios_base_library_initv" };

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
        var anchors = AnchorSymbols.SelectMany(image.SymbolsNamed).ToList();
        var anchorsWeak = anchors.Count > 0 && anchors.All(a => a.IsWeak && a.IsUnversioned);
        var needs = image.VersionNeeds().Where(n => n.File == LibStdCxx && n.Version == MissingVersion).ToList();
        if (needs.Count == 0)
        {
            return new GlibcxxCompatState(false, false, false, anchorsWeak, Array.Empty<string>());
        }

        var need = needs[0];
        var symbols = image.SymbolsWithVersion(need.Index).Select(s => s.Name).ToList();
        return new GlibcxxCompatState(true, need.IsWeak, symbols.Count == 0, anchorsWeak, symbols);
    }

    /// <summary>
    /// Marks the GLIBCXX_3.4.32 need weak and makes its symbols unversioned and weak, in place. Returns the symbols
    /// it changed. Throws when the library needs another symbol of that version, or when a relocation refers to one
    /// (then the code really uses it, and leaving it unresolved would not be safe).
    /// </summary>
    public static IReadOnlyList<string> ApplyVersionEdits(ElfImage image)
    {
        var need = image.VersionNeeds().FirstOrDefault(n => n.File == LibStdCxx && n.Version == MissingVersion)
            ?? throw new InvalidOperationException($"the library does not need {MissingVersion}; nothing to fix");
        var symbols = image.SymbolsWithVersion(need.Index);
        var unknown = symbols.Select(s => s.Name).Except(AnchorSymbols, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"the library needs {string.Join(", ", unknown)} from {MissingVersion}, which this fix cannot stand in for; install a libstdc++ from GCC 13 or later instead");
        }

        // The anchors by name too: a copy fixed only in part (unversioned but still global) is finished, not refused.
        symbols = symbols.Concat(AnchorSymbols.SelectMany(image.SymbolsNamed)).DistinctBy(s => s.Index).ToList();
        var relocated = image.RelocatedSymbols();
        var used = symbols.Where(s => relocated.Contains(s.Index)).Select(s => s.Name).ToList();
        if (used.Count > 0)
        {
            throw new InvalidOperationException(
                $"the library's code refers to {string.Join(", ", used)} (a relocation uses it), so it cannot be left unresolved; install a libstdc++ from GCC 13 or later instead");
        }

        foreach (var symbol in symbols)
        {
            image.MakeUnversioned(symbol);
            image.MakeWeak(symbol);
        }

        image.MarkWeak(need);
        return symbols.Select(s => s.Name).ToList();
    }
}
