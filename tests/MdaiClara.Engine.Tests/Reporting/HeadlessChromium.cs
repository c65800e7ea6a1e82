using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Tests.Reporting;

/// <summary>
/// Debian's chromium, headless, as the report tests drive it: a throwaway profile and HOME per run, no sandbox (tests
/// run as root), no GPU, a hard timeout. MDAICLARA_CHROMIUM overrides the executable. A missing browser is a test
/// failure that says how to install it (build.ps1 -Task Test installs the Debian package), never a skip.
/// </summary>
internal static class HeadlessChromium
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("MDAICLARA_CHROMIUM") is { Length: > 0 } configured ? configured
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists) ?? "chromium";

    /// <summary>Runs chromium on <paramref name="page"/> with <paramref name="mode"/> arguments; returns stdout and stderr.</summary>
    public static (string Stdout, string Stderr) Run(string page, string scratch, params string[] mode)
    {
        var home = Path.Combine(scratch, "home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update",
            "--user-data-dir=" + Path.Combine(home, "profile"), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
        }.Concat(mode))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(new Uri(page).AbsoluteUri);
        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Headless chromium '{Executable}' cannot be started ({ex.Message}): the report's browser test needs it. Install Debian's chromium "
                + "(apt-get install chromium; ./build.ps1 -Task Test installs it), or set MDAICLARA_CHROMIUM.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish rendering {page} within {Timeout.TotalSeconds} s.");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"chromium exited with {process.ExitCode} on {page}:\n{stderr.Result}");
            }

            return (stdout.Result, stderr.Result);
        }
    }
}
