using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Inference.Native;

// Usage: LibTorchCompat <libLibTorchSharp.so> [--force] [--status]
// Patches the given file in place (through a temp copy and a rename) when the host's libstdc++ lacks
// GLIBCXX_3.4.32, and only then (see GlibcxxCompat). Needs nothing but .NET. Exit code 0 = done or not needed.
var files = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var force = args.Contains("--force");
var statusOnly = args.Contains("--status");
if (files.Count != 1)
{
    Console.Error.WriteLine("usage: LibTorchCompat <libLibTorchSharp.so> [--force] [--status]");
    return 2;
}

var target = Path.GetFullPath(files[0]);
if (!File.Exists(target))
{
    Console.Error.WriteLine($"LibTorchCompat: {target} does not exist.");
    return 1;
}

try
{
    var state = GlibcxxCompat.Inspect(new ElfImage(File.ReadAllBytes(target)));
    var host = GlibcxxCompat.FindHostLibStdCxx();
    var hostHas = GlibcxxCompat.HostProvides(GlibcxxCompat.MissingVersion, host);
    if (statusOnly)
    {
        Console.WriteLine($"needs {GlibcxxCompat.MissingVersion}: {state.NeedsVersion}; patched: {state.IsPatched}; host libstdc++ ({host ?? "not found"}) has it: {hostHas}");
        return 0;
    }

    if (!state.NeedsVersion)
    {
        Console.WriteLine($"LibTorchCompat: {Path.GetFileName(target)} does not need {GlibcxxCompat.MissingVersion}; nothing to do.");
        return 0;
    }

    if (hostHas && !force)
    {
        Console.WriteLine($"LibTorchCompat: the host libstdc++ provides {GlibcxxCompat.MissingVersion}; no fix needed.");
        return 0;
    }

    if (state.IsPatched)
    {
        Console.WriteLine($"LibTorchCompat: {Path.GetFileName(target)} is already patched.");
        return 0;
    }

    // No patchelf, no compiler: a few bytes change in place (flags, a version index, a symbol binding); nothing moves.
    var image = new ElfImage(File.ReadAllBytes(target));
    if (image.RunPath() is not { } runPath || !runPath.StartsWith("$ORIGIN", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"its RUNPATH ({image.RunPath() ?? "none"}) does not start with $ORIGIN, so the libtorch beside it would not be found first");
    }

    var symbols = GlibcxxCompat.ApplyVersionEdits(image);
    if (!GlibcxxCompat.Inspect(new ElfImage(image.Data)).IsPatched)
    {
        throw new InvalidOperationException("the patched file does not verify");
    }

    var folder = Path.GetDirectoryName(target)!;
    var temp = Path.Combine(folder, "." + Path.GetFileName(target) + ".compat-tmp");
    try
    {
        File.WriteAllBytes(temp, image.Data);
        File.Move(temp, target, overwrite: true);
    }
    finally
    {
        File.Delete(temp);
    }

    Console.WriteLine($"LibTorchCompat: patched {target} ({GlibcxxCompat.MissingVersion} made a weak need; {string.Join(", ", symbols)} unversioned and weak).");
    return 0;
}
catch (Exception ex) when (ex is FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"LibTorchCompat: cannot apply the libstdc++ compat fix to {target}: {ex.Message}");
    return 1;
}
