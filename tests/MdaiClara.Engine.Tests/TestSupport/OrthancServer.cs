using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.DicomWeb;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// A real Orthanc (Debian's orthanc + orthanc-dicomweb) for a test: started in the foreground with
/// tests/fixtures/orthanc/orthanc.template.json on free loopback ports, a throwaway storage folder and authentication
/// on, TCP_NODELAY=1 in its environment; ready when GET /system answers. Dispose stops it by its process id and
/// removes the folder; <see cref="Stop"/> and <see cref="Start"/> stop and restart it on the same ports and storage
/// (a server that goes away mid-transfer and comes back). Missing packages fail the test with the install command.
/// </summary>
internal sealed class OrthancServer : IDisposable
{
    public const string User = "mdaiclara";
    public const string Password = "orthanc-test-secret-4417";
    private const string Executable = "/usr/sbin/Orthanc";
    private readonly string _config;
    private readonly string _log;
    private readonly bool _tcpNoDelay;
    private Process? _process;

    public OrthancServer(bool tcpNoDelay = true)
    {
        _tcpNoDelay = tcpNoDelay;
        if (!File.Exists(Executable) || !File.Exists("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"))
        {
            throw new InvalidOperationException("Orthanc with its DICOMweb plugin is not installed: apt-get install -y orthanc orthanc-dicomweb (build/Packages.psd1 lists them for the Test task).");
        }

        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mdaiclara-orthanc-" + Guid.NewGuid().ToString("N"));
        var storage = System.IO.Path.Combine(Folder, "storage");
        Directory.CreateDirectory(storage);
        HttpPort = FreePort();
        DicomPort = FreePort();
        var template = File.ReadAllText(System.IO.Path.Combine(TestPaths.Fixtures, "orthanc", "orthanc.template.json"));
        _config = System.IO.Path.Combine(Folder, "orthanc.json");
        _log = System.IO.Path.Combine(Folder, "orthanc.log");
        File.WriteAllText(_config, template.Replace("{{Storage}}", storage, StringComparison.Ordinal)
            .Replace("{{HttpPort}}", HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{DicomPort}}", DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{User}}", User, StringComparison.Ordinal)
            .Replace("{{Password}}", Password, StringComparison.Ordinal));
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Folder { get; }

    public int HttpPort { get; }

    public int DicomPort { get; }

    public Uri DicomWebRoot => new($"http://127.0.0.1:{HttpPort}/dicom-web/");

    public string LogText => File.Exists(_log) ? File.ReadAllText(_log) : string.Empty;

    /// <summary>A connection to this server with the right (or the given) password.</summary>
    public DicomWebConnection Connect(string name = "orthanc", string? password = null, int maxRetries = 2, TimeSpan? retryDelay = null) =>
        new(new DicomWebOptions(DicomWebRoot, name)
        {
            Credential = DicomCredential.Basic(User, Secure(password ?? Password)),
            MaxRetries = maxRetries,
            RetryDelay = retryDelay ?? TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(30),
        });

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public void Start()
    {
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_config);
        if (_tcpNoDelay)
        {
            start.Environment["TCP_NODELAY"] = "1";
        }
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("Orthanc did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"Cannot start {Executable}: {ex.Message}", ex);
        }

        var log = new StreamWriter(_log, append: true) { AutoFlush = true };
        var gate = new object();
        _process.OutputDataReceived += (_, e) => { lock (gate) { if (e.Data is not null) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { lock (gate) { if (e.Data is not null) { log.WriteLine(e.Data); } } };
        _process.Exited += (_, _) => { lock (gate) { log.Dispose(); } };
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Orthanc exited with {_process.ExitCode} while starting:\n{LogText}");
            }

            try
            {
                using var response = client.GetAsync($"http://127.0.0.1:{HttpPort}/system").GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException($"Orthanc did not answer on port {HttpPort} within 30 s:\n{LogText}");
    }

    /// <summary>Registers (or replaces) a DICOM modality in the running server (REST PUT /modalities/{id}), as DicomModalities in its configuration would: a C-MOVE destination.</summary>
    public void RegisterModality(string id, string aeTitle, int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        using var body = new StringContent($"{{\"AET\":\"{aeTitle}\",\"Host\":\"127.0.0.1\",\"Port\":{port}}}", Encoding.UTF8, "application/json");
        using var response = client.PutAsync($"http://127.0.0.1:{HttpPort}/modalities/{id}", body).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Kills the server at once (as a crash or a pulled cable would), keeping its storage.</summary>
    public void Stop()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
            _process = null;
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A scratch folder under /tmp; leaving it is harmless.
        }
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
