using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using MdaiClara.Engine.Errors;
using SharpFuzz;

namespace MdaiClara.Fuzz;

/// <summary>
/// Usage:
///   MdaiClara.Fuzz &lt;target&gt;                 AFL mode: afl-fuzz runs it (persistent, via SharpFuzz) on the instrumented engine.
///   MdaiClara.Fuzz &lt;target&gt; &lt;file|folder&gt;... replay: runs each file once and prints its outcome (triage, no AFL).
/// Targets: see <see cref="FuzzTarget"/>. MDAICLARA_FUZZ_SKIP_KNOWN=1 counts the defects <see cref="KnownDefects"/> lists
/// (in known-defects.log beside the scratch folder) instead of reporting them as crashes.
/// </summary>
internal static class Program
{
    private const int TraceMapSize = 1 << 16;

    private static int Main(string[] args)
    {
        if (args.Length == 0 || !Enum.TryParse<FuzzTarget>(args[0], ignoreCase: true, out var target))
        {
            Console.Error.WriteLine($"usage: MdaiClara.Fuzz <{string.Join('|', Enum.GetNames<FuzzTarget>())}> [file|folder ...]");
            return 2;
        }

        var scratch = Environment.GetEnvironmentVariable("MDAICLARA_FUZZ_SCRATCH")
            ?? Path.Combine(Path.GetTempPath(), $"mdaiclara-fuzz-{target}-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        var skipKnown = Environment.GetEnvironmentVariable("MDAICLARA_FUZZ_SKIP_KNOWN") == "1";

        if (args.Length > 1)
        {
            // Outside afl-fuzz there is no shared memory for the instrumented engine's edge counters: give it a buffer.
            unsafe
            {
                SharpFuzz.Common.Trace.SharedMem = (byte*)Marshal.AllocHGlobal(TraceMapSize);
            }

            return Replay(target, args[1..], scratch);
        }

        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var input = buffer.ToArray();
            if (skipKnown && KnownDefects.HangBeforeRun(target, input) is { } hang)
            {
                File.AppendAllText(Path.Combine(scratch, "..", $"known-defects-{target}.log"), hang + Environment.NewLine);
                return;
            }

            try
            {
                FuzzHarness.Run(target, input, scratch);
            }
            catch (MdaiClaraException)
            {
                // The contract: bad input is a MdaiClara error.
            }
            catch (Exception ex) when (skipKnown && KnownDefects.Match(target, ex) is { } known)
            {
                File.AppendAllText(Path.Combine(scratch, "..", $"known-defects-{target}.log"), known + Environment.NewLine);
            }
        });
        return 0;
    }

    private static int Replay(FuzzTarget target, string[] paths, string scratch)
    {
        var defects = 0;
        foreach (var path in paths)
        {
            var files = Directory.Exists(path) ? Directory.GetFiles(path) : new[] { path };
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                var watch = Stopwatch.StartNew();
                string outcome;
                try
                {
                    FuzzHarness.Run(target, File.ReadAllBytes(file), scratch);
                    outcome = "ok";
                }
                catch (MdaiClaraException ex)
                {
                    outcome = $"{ex.ErrorId}: {ex.Message}";
                }
                catch (Exception ex)
                {
                    defects++;
                    var known = KnownDefects.Match(target, ex);
                    outcome = $"DEFECT{(known is null ? string.Empty : $" (known: {known})")} {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}";
                }

                Console.WriteLine($"{Path.GetFileName(file)}\t{watch.ElapsedMilliseconds} ms\t{outcome}");
            }
        }

        return defects == 0 ? 0 : 1;
    }
}
