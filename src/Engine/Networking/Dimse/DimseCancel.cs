using System;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse.Messages;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// C-CANCEL for one outstanding request with pending responses (C-FIND, C-GET, C-MOVE; PS3.7 9.3.2.3): when the token
/// is cancelled (Ctrl+C) or <see cref="Send"/> is called (a reached limit), a C-CANCEL-RQ with the request's message ID
/// is sent once, even while the caller is blocked reading; the caller then drains the responses to the final one.
/// If the peer has not given its final response within the drain time, the association is aborted, which ends the
/// caller's read at once. Dispose before releasing the association.
/// </summary>
public sealed class DimseCancel : IDisposable
{
    private readonly DimseAssociation _association;
    private readonly byte _context;
    private readonly ushort _messageId;
    private readonly TimeSpan _drain;
    private readonly object _gate = new();
    private readonly CancellationTokenRegistration _registration;
    private Timer? _drainTimer;
    private bool _finished;

    public DimseCancel(DimseAssociation association, byte presentationContextId, ushort messageId, TimeSpan drain, CancellationToken cancellationToken)
    {
        _association = association;
        _context = presentationContextId;
        _messageId = messageId;
        _drain = drain;
        _registration = cancellationToken.Register(Send);
    }

    /// <summary>The drain time used when none is given: the endpoint's timeout, at most 10 s.</summary>
    public static TimeSpan DefaultDrain(DimseEndpoint endpoint) => endpoint.Timeout < TimeSpan.FromSeconds(10) ? endpoint.Timeout : TimeSpan.FromSeconds(10);

    /// <summary>True once the C-CANCEL-RQ went out (responses after it are drained, not used).</summary>
    public bool IsSent { get; private set; }

    /// <summary>True when the peer did not finish within the drain time and the association was aborted.</summary>
    public bool DrainTimedOut { get; private set; }

    /// <summary>Sends the C-CANCEL-RQ (once) and starts the drain timer.</summary>
    public void Send()
    {
        lock (_gate)
        {
            if (IsSent || _finished)
            {
                return;
            }

            IsSent = true;
            try
            {
                _association.Send(channel => channel.SendCommand(_context, DimseCommands.CancelRequest(_messageId), "cancelling the request"));
            }
            catch (MdaiClaraException)
            {
                // The association is gone already; the caller's read ends with that.
            }

            _drainTimer = new Timer(_ => DrainExpired(), null, _drain, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _finished = true;
            _drainTimer?.Dispose();
        }

        _registration.Dispose();
    }

    private void DrainExpired()
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            DrainTimedOut = true;
            _association.Abort();
        }
    }
}
