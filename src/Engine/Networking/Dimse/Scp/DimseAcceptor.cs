using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Storage;

namespace MdaiClara.Engine.Networking.Dimse.Scp;

/// <summary>
/// Our association acceptor (PS3.8 SCP side): a TCP listener that serves each incoming association on its own thread
/// (<see cref="ServedAssociation"/>: C-ECHO and C-STORE into a <see cref="DimseStoreTarget"/>), at most
/// <see cref="DimseAcceptorOptions.MaxAssociations"/> at once (one more is answered with an A-ASSOCIATE-RJ "local limit
/// exceeded"). Whatever a peer does ends its own association only; the listener keeps serving until
/// <see cref="Stop"/>. Stopping closes the port, lets running associations finish within a grace period and aborts the rest.
/// </summary>
public sealed class DimseAcceptor : IDisposable
{
    private readonly TcpListener _listener;
    private readonly DimseAcceptorOptions _options;
    private readonly DimseStoreTarget _target;
    private readonly IEngineLog? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, TcpClient> _active = new();
    private readonly Task _acceptLoop;
    private long _nextId;
    private int _running;

    private DimseAcceptor(TcpListener listener, DimseAcceptorOptions options, DimseStoreTarget target, IEngineLog? log)
    {
        _listener = listener;
        _options = options;
        _target = target;
        _log = log;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptLoop = Task.Factory.StartNew(AcceptLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>An instance was stored (called on the thread of the association that carried it).</summary>
    public event Action<DimseStoredInstance>? InstanceStored;

    /// <summary>An association ended, however it ended (called on its thread).</summary>
    public event Action<DimseAssociationSummary>? AssociationEnded;

    public DimseAcceptorOptions Options => _options;

    /// <summary>The port it listens on (the one chosen when <see cref="DimseAcceptorOptions.Port"/> was 0).</summary>
    public int Port { get; }

    /// <summary>Associations being served now.</summary>
    public int ActiveAssociations => Volatile.Read(ref _running);

    public string Folder => _target.Staging.Folder;

    /// <summary>Binds the port and starts serving; a port that cannot be bound is <see cref="ErrorIds.DimseListenFailed"/>.</summary>
    public static DimseAcceptor Start(DimseAcceptorOptions options, DimseStoreTarget target, IEngineLog? log)
    {
        var listener = new TcpListener(options.BindAddress, options.Port);
        try
        {
            listener.Start(64);
        }
        catch (SocketException e)
        {
            listener.Stop();
            throw new MdaiClaraException(
                $"Cannot listen for DICOM associations on {options.BindAddress}:{options.Port}: {(e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the port is in use by another program" : e.SocketErrorCode.ToString())}. Choose another port, or stop what holds it.",
                ErrorIds.DimseListenFailed, ErrorKind.ResourceUnavailable, options.Port, e);
        }

        var acceptor = new DimseAcceptor(listener, options, target, log);
        log.Verbose($"Listening for DICOM associations to {options.AeTitle} on {options.BindAddress}:{acceptor.Port}.");
        return acceptor;
    }

    /// <summary>
    /// Waits until no association is in progress (or <paramref name="timeout"/> passes, or the token is cancelled);
    /// true when none is.
    /// </summary>
    public bool WaitIdle(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ActiveAssociations > 0)
        {
            if (clock.Elapsed >= timeout || cancellationToken.WaitHandle.WaitOne(20))
            {
                return ActiveAssociations == 0;
            }
        }

        return true;
    }

    /// <summary>Stops listening; running associations get <paramref name="grace"/> to finish, then their connections are closed.</summary>
    public void Stop(TimeSpan grace)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        WaitIdle(grace, CancellationToken.None);
        foreach (var client in _active.Values)
        {
            client.Dispose();
        }

        WaitIdle(TimeSpan.FromSeconds(5), CancellationToken.None);
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; its faults were logged.
        }
    }

    public void Dispose()
    {
        Stop(TimeSpan.Zero);
        _stop.Dispose();
    }

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClientAsync(_stop.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    _log.Warning($"The DICOM listener on port {Port} stopped accepting: {e.Message}");
                }

                return;
            }

            var id = Interlocked.Increment(ref _nextId);
            var overLimit = Interlocked.Increment(ref _running) > _options.MaxAssociations;
            _active[id] = client;
            Task.Factory.StartNew(() => Serve(id, client, overLimit), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    private void Serve(long id, TcpClient client, bool overLimit)
    {
        try
        {
            var association = new ServedAssociation(client, _options, _target, _log) { InstanceStored = i => Raise(InstanceStored, i) };
            var summary = association.Serve(() => overLimit);
            Raise(AssociationEnded, summary);
        }
        finally
        {
            _active.TryRemove(id, out _);
            Interlocked.Decrement(ref _running);
        }
    }

    private void Raise<T>(Action<T>? handler, T value)
    {
        try
        {
            handler?.Invoke(value);
        }
        catch (Exception e)
        {
            // A subscriber's fault must not end the association or the listener.
            _log.Warning($"A receiver subscriber failed: {e.Message}");
        }
    }
}
