using System;
using System.ComponentModel;
using System.Diagnostics;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// Runs a command-line peer (dcmtk's dcmdump, dicom3tools' dciodvfy) and returns its exit code and output. CI installs
/// them (build/Packages.psd1, Test); a missing tool fails the test with the package to install, never skips it.
/// </summary>
internal static class ToolPeer
{
    public sealed record Output(int ExitCode, string StandardOutput, string StandardError)
    {
        public string All => StandardOutput + StandardError;
    }

    public static Output Run(string tool, string package, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"The peer '{tool}' cannot be started ({ex.Message}): apt-get install {package}.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} did not finish in 2 minutes.");
            }

            return new Output(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
