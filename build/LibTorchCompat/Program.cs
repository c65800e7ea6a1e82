using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Inference.Native;

// Usage: LibTorchCompat <libLibTorchSharp.so> [--force] [--status]
// Patches the given file in place (through a temp copy and a rename) when the host's libstdc++ lacks
// GLIBCXX_3.4.32, and only then; builds the shim library beside it. Exit code 0 = done or not needed.
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

    var folder = Path.GetDirectoryName(target)!;
    BuildShim(folder);
    if (state.IsPatched)
    {
        Console.WriteLine($"LibTorchCompat: {Path.GetFileName(target)} is already patched.");
        return 0;
    }

    var temp = Path.Combine(folder, "." + Path.GetFileName(target) + ".compat-tmp");
    File.Copy(target, temp, overwrite: true);
    try
    {
        // patchelf relocates the dynamic section to add the DT_NEEDED; RUNPATH $ORIGIN keeps libtorch beside it.
        Run("patchelf", "--add-needed", GlibcxxCompat.ShimFileName, "--set-rpath", "$ORIGIN", temp);
        var image = new ElfImage(File.ReadAllBytes(temp));
        var symbols = GlibcxxCompat.ApplyVersionEdits(image);
        File.WriteAllBytes(temp, image.Data);
        var after = GlibcxxCompat.Inspect(new ElfImage(File.ReadAllBytes(temp)));
        if (!after.IsPatched)
        {
            throw new InvalidOperationException("the patched file does not verify");
        }

        File.Move(temp, target, overwrite: true);
        Console.WriteLine($"LibTorchCompat: patched {target} ({GlibcxxCompat.MissingVersion} made weak for {string.Join(", ", symbols)}; needs {GlibcxxCompat.ShimFileName}; RUNPATH $ORIGIN).");
        return 0;
    }
    finally
    {
        File.Delete(temp);
    }
}
catch (Exception ex) when (ex is FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"LibTorchCompat: cannot apply the libstdc++ compat fix to {target}: {ex.Message}");
    return 1;
}

static void BuildShim(string folder)
{
    var output = Path.Combine(folder, GlibcxxCompat.ShimFileName);
    var source = Path.Combine(Path.GetTempPath(), $"mdaiclara-glibcxx-shim-{Environment.ProcessId}.c");
    File.WriteAllText(source, GlibcxxCompat.ShimSource);
    try
    {
        var compiler = new[] { "cc", "gcc", "clang" }.FirstOrDefault(OnPath)
            ?? throw new InvalidOperationException("no C compiler (cc, gcc or clang) is on PATH to build the shim; install gcc");
        var temp = output + ".tmp";
        Run(compiler, "-shared", "-fPIC", "-O2", "-Wl,-soname," + GlibcxxCompat.ShimFileName, "-o", temp, source);
        File.Move(temp, output, overwrite: true);
    }
    finally
    {
        File.Delete(source);
    }
}

static bool OnPath(string program) =>
    (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));

static void Run(string program, params string[] arguments)
{
    if (!OnPath(program))
    {
        throw new InvalidOperationException($"'{program}' is not on PATH (Debian/Ubuntu: apt-get install {program})");
    }

    var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var a in arguments)
    {
        start.ArgumentList.Add(a);
    }

    using var process = Process.Start(start)!;
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEndAsync();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} failed (exit {process.ExitCode}): {stderr.Result.Trim()} {stdout.Result.Trim()}");
    }
}
