using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// Runs a Python snippet in the reference peer (Debian's python3 with python3-nibabel and python3-numpy, which CI
/// installs) and returns what it printed. MDAICLARA_PYTHON overrides the interpreter; otherwise /usr/bin/python3 is
/// preferred over whatever python3 is first on PATH, since version managers often shadow it without those packages.
/// Failures throw, so a test that needs the peer fails loudly instead of passing without it.
/// </summary>
internal static class PythonPeer
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("MDAICLARA_PYTHON") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3"
        : "python3";

    /// <summary>Runs <c>python3 -c script arguments…</c>; throws on a non-zero exit, a timeout or a missing interpreter.</summary>
    public static string Run(string script, params string[] arguments) => Run(script, DefaultTimeout, arguments);

    public static string Run(string script, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"The Python peer '{Executable}' cannot be started ({ex.Message}). Install python3, python3-nibabel and python3-numpy, or set MDAICLARA_PYTHON.", ex);
        }

        using (process)
        {
            // Both pipes are drained concurrently so a chatty child cannot block on a full pipe.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The Python peer did not finish within {timeout.TotalSeconds} s.");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The Python peer '{Executable}' exited with {process.ExitCode}:\n{stderr.Result}\n(Does it have nibabel and numpy? Install python3-nibabel and python3-numpy.)");
            }

            return stdout.Result;
        }
    }
}
