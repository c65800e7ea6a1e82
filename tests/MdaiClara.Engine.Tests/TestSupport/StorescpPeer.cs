using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// DCMTK's storescp on a free loopback port, storing into a temp folder (AE title STORESCP), with extra options (e.g.
/// "+xi" for Implicit VR only, "+xa" for every syntax, TLS options); ready once it answers C-ECHO. Dispose stops it by
/// its process id and removes the folder. Missing DCMTK fails the test with the package to install.
/// </summary>
internal sealed class StorescpPeer : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _folder = new();

    public StorescpPeer(string[] options, bool waitForEcho = true)
    {
        if (!File.Exists("/usr/bin/storescp"))
        {
            throw new InvalidOperationException("DCMTK's storescp is not installed: apt-get install -y dcmtk (build/Packages.psd1 lists it for the Test task).");
        }

        Port = OrthancServer.FreePort();
        Directory.CreateDirectory(Output);
        var start = new ProcessStartInfo("storescp") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--aetitle", "STORESCP", "--output-directory", Output }.Concat(options).Append(Port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("storescp did not start: apt-get install -y dcmtk");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (waitForEcho)
        {
            var endpoint = Endpoint();
            for (var i = 0; i < 100 && DimseVerification.Echo(endpoint, CancellationToken.None).ErrorId == ErrorIds.DimseUnreachable; i++)
            {
                Thread.Sleep(50);
            }
        }
    }

    public int Port { get; }

    public string Output => _folder.Combine("in");

    public string[] StoredFiles => Directory.GetFiles(Output).Order(StringComparer.Ordinal).ToArray();

    public DimseEndpoint Endpoint(double timeoutSeconds = 20) =>
        new("127.0.0.1", Port, "STORESCP", DimseEndpoint.DefaultCallingAE, TimeSpan.FromSeconds(timeoutSeconds));

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }

        _process.Dispose();
        _folder.Dispose();
    }
}
