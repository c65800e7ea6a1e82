using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// A loopback HTTP server that answers each connection with the next scripted step (raw response bytes, or a close
/// without a word, as a reset connection looks to a client) and records every request's head. For the failure modes a
/// real PACS cannot be made to show on demand: 503/429 then success, resets, malformed bodies, STOW failure lists.
/// </summary>
internal sealed class ScriptedHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<byte[]?> _steps = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ScriptedHttpServer(params byte[]?[] steps)
    {
        foreach (var step in steps)
        {
            _steps.Enqueue(step);
        }

        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public Uri Root => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/dicom-web/");

    public ConcurrentQueue<string> Requests { get; } = new();

    public static byte[] Response(int status, string reason, string contentType, byte[] body, params string[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        var bytes = Encoding.ASCII.GetBytes(head.ToString());
        var all = new byte[bytes.Length + body.Length];
        bytes.CopyTo(all, 0);
        body.CopyTo(all, bytes.Length);
        return all;
    }

    public static byte[] Json(int status, string json, params string[] headers) =>
        Response(status, status == 200 ? "OK" : "Status", "application/dicom+json", Encoding.UTF8.GetBytes(json), headers);

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            using (client)
            {
                var stream = client.GetStream();
                var head = await ReadRequest(stream);
                Requests.Enqueue(head);
                if (!_steps.TryDequeue(out var step) || step is null)
                {
                    client.Client.LingerState = new LingerOption(true, 0); // RST, as a reset connection
                    continue;
                }

                await stream.WriteAsync(step);
                await stream.FlushAsync();
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
    }

    private static async Task<string> ReadRequest(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
            {
                break;
            }
        }

        var head = Encoding.ASCII.GetString(buffer.ToArray());
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                var left = long.Parse(line[15..].Trim(), CultureInfo.InvariantCulture);
                var sink = new byte[64 * 1024];
                while (left > 0)
                {
                    var n = await stream.ReadAsync(sink.AsMemory(0, (int)Math.Min(sink.Length, left)));
                    if (n == 0)
                    {
                        break;
                    }

                    left -= n;
                }
            }
        }

        return head;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
