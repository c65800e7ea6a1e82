using System;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;
using Polly;
using Polly.Retry;

namespace MdaiClara.Engine.Networking.DicomWeb;

/// <summary>
/// The HTTP side of a DICOMweb connection: one HttpClient (TCP_NODELAY, no automatic decompression, answers streamed
/// from their headers on), the credential added to each request, transient failures (connection refused or reset,
/// 429, 502, 503, 504) retried with exponential backoff by a Polly pipeline, and every failure turned into a specific
/// error that names the server and never the secret.
/// </summary>
internal sealed class DicomWebHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly DicomWebOptions _options;

    public DicomWebHttp(DicomWebOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.Timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = ConnectNoDelayAsync,
        };
        if (options.SkipCertificateCheck)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
        }

        _client = new HttpClient(handler, disposeHandler: true) { Timeout = options.Timeout };
        _retry = options.MaxRetries < 1 ? ResiliencePipeline<HttpResponseMessage>.Empty : new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>(IsTransient)
                    .HandleResult(r => IsTransient(r.StatusCode)),
                DelayGenerator = static args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var why = args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode} {r.ReasonPhrase}" : args.Outcome.Exception?.Message;
                    args.Outcome.Result?.Dispose();
                    Log(args.Context)?.Warning($"{_options.Name}: {why}; retry {args.AttemptNumber + 1} of {_options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.##} s.");
                    return default;
                },
            })
            .Build();
    }

    private static readonly ResiliencePropertyKey<IEngineLog?> LogKey = new("MdaiClara.Log");

    /// <summary>
    /// Sends a request made by <paramref name="makeRequest"/> (made anew for each attempt), retrying transient
    /// failures; returns the response with its headers read and its body not yet read. A failure status is returned
    /// when <paramref name="acceptStatus"/> takes it (a STOW-RS 409 carries per-instance results); every other one is
    /// thrown as a specific error.
    /// </summary>
    public HttpResponseMessage Send(Func<HttpRequestMessage> makeRequest, string what, IEngineLog? log, CancellationToken cancellationToken, Func<HttpStatusCode, bool>? acceptStatus = null)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(LogKey, log);
        HttpResponseMessage response;
        try
        {
            response = _retry.Execute(ctx =>
            {
                using var request = makeRequest();
                if (_options.Credential is { } credential)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", credential.AuthorizationHeaderValue());
                }

                return _client.Send(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken);
            }, context);
        }
        catch (HttpRequestException ex)
        {
            throw new MdaiClaraException(
                $"Cannot reach {_options.BaseUri} ('{_options.Name}') for {what}: {Describe(ex)}, after {_options.MaxRetries} retries.",
                ErrorIds.DicomWebUnreachable, ErrorKind.ResourceUnavailable, _options.BaseUri.ToString(), ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MdaiClaraException(
                $"{_options.BaseUri} ('{_options.Name}') did not answer {what} within {_options.Timeout.TotalSeconds:0.#} s.",
                ErrorIds.DicomWebTimeout, ErrorKind.ResourceUnavailable, _options.BaseUri.ToString(), ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (response.IsSuccessStatusCode || (acceptStatus?.Invoke(response.StatusCode) ?? false))
        {
            return response;
        }

        using (response)
        {
            throw StatusError(response, what);
        }
    }

    /// <summary>The error for a failure status (also used for a STOW-RS answer that carries no per-instance results).</summary>
    public MdaiClaraException StatusError(HttpResponseMessage response, string what)
    {
        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        var target = _options.BaseUri.ToString();
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new MdaiClaraException(
                $"{target} ('{_options.Name}') refused the credentials for {what} ({status}). "
                + (_options.Credential is null ? "It requires credentials and the connection has none." : $"Check the {_options.Credential} credential of the connection."),
                ErrorIds.DicomWebUnauthorized, ErrorKind.SecurityError, target),
            HttpStatusCode.Forbidden => new MdaiClaraException(
                $"{target} ('{_options.Name}') accepted the credentials but does not allow {what} ({status}). Ask the PACS administrator for that right.",
                ErrorIds.DicomWebForbidden, ErrorKind.SecurityError, target),
            HttpStatusCode.NotFound => new MdaiClaraException(
                $"{target} ('{_options.Name}') has no {what} ({status}).", ErrorIds.DicomWebNotFound, ErrorKind.ObjectNotFound, target),
            _ => new MdaiClaraException(
                $"{target} ('{_options.Name}') failed {what}: {status}{(IsTransient(response.StatusCode) ? $", after {_options.MaxRetries} retries" : string.Empty)}.",
                ErrorIds.DicomWebHttpError, ErrorKind.ResourceUnavailable, target),
        };
    }

    public void Dispose() => _client.Dispose();

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Refused, reset, aborted or closed early: worth another try. Name resolution and TLS failures are not.</summary>
    private static bool IsTransient(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded => true,
        HttpRequestError.Unknown => ex.InnerException is System.IO.IOException or SocketException,
        _ => false,
    };

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException is SocketException s ? s.Message : ex.Message;
        return inner.TrimEnd('.');
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d && d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(30) ? d : null;
    }

    private static IEngineLog? Log(ResilienceContext context) => context.Properties.TryGetValue(LogKey, out var log) ? log : null;

    private static async ValueTask<System.IO.Stream> ConnectNoDelayAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
