using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom.Writing;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse;

/// <summary>
/// One association we requested (SCU side): TCP connect with NoDelay under the endpoint's timeout (the ARTIM timer
/// bounds the wait for A-ASSOCIATE-AC/RJ and every later read), A-ASSOCIATE negotiation, message exchange on the
/// accepted presentation contexts, orderly release (release collisions answered), and A-ABORT on a protocol error.
/// Dispose releases if still open, and aborts if release fails.
/// </summary>
public sealed class DimseAssociation : IDisposable
{
    private readonly TcpClient _client;
    private readonly PduStream _pdus;
    private readonly DimseMessageChannel _channel;
    private ushort _nextMessageId = 1;
    private bool _open;

    private DimseAssociation(DimseEndpoint endpoint, TcpClient client, PduStream pdus, AssociateAccept accept)
    {
        Endpoint = endpoint;
        _client = client;
        _pdus = pdus;
        Accept = accept;
        _channel = new DimseMessageChannel(pdus, endpoint.ToString(), accept.UserInformation.MaxPduLength);
        _open = true;
    }

    public DimseEndpoint Endpoint { get; }

    /// <summary>The peer's A-ASSOCIATE-AC: its accepted presentation contexts, maximum PDU length, implementation identity.</summary>
    public AssociateAccept Accept { get; }

    public DimseMessageChannel Channel => _channel;

    public static DimseAssociation Open(DimseEndpoint endpoint, IReadOnlyList<PresentationContext> contexts,
        IReadOnlyList<RoleSelection>? roles, CancellationToken cancellationToken)
    {
        var peer = endpoint.ToString();
        var credentials = endpoint.Tls is { } tlsOptions ? DimseTlsStream.LoadCredentials(endpoint, tlsOptions) : null;
        var client = new TcpClient { NoDelay = true };
        System.IO.Stream? stream = null;
        try
        {
            Connect(client, endpoint, cancellationToken);
            var timeoutMs = (int)Math.Min(int.MaxValue, endpoint.Timeout.TotalMilliseconds);
            client.ReceiveTimeout = timeoutMs;
            client.SendTimeout = timeoutMs;
            // TLS goes here, where every association (echo, find, store, get, move) gets its stream.
            stream = credentials is not null ? DimseTlsStream.Authenticate(client.GetStream(), endpoint, credentials) : client.GetStream();
            var pdus = new PduStream(stream, peer, endpoint.Timeout) { BeforeRead = () => DimseSocket.QuickAck(client.Client) };
            var request = new AssociateRequest(endpoint.CalledAE, endpoint.CallingAE, AssociateRequest.DicomApplicationContext, contexts,
                new UserInformation(DimseLimits.DefaultMaxPduLength, DicomImplementation.ClassUid, DicomImplementation.VersionName, roles ?? []));
            pdus.Write(request, "requesting the association");
            using var cancel = cancellationToken.Register(() => client.Close());
            var answer = pdus.Read("waiting for the association answer");
            switch (answer)
            {
                case AssociateAccept accept:
                    return new DimseAssociation(endpoint, client, pdus, accept);
                case AssociateReject reject:
                    throw DimseAssociationException.Rejected(peer, endpoint.CalledAE, endpoint.CallingAE, reject);
                case AbortPdu abort:
                    throw DimseAssociationException.Aborted(peer, abort, "requesting the association");
                default:
                    TryAbort(pdus);
                    throw PduDecoder.Malformed(peer, $"{answer.GetType().Name} in answer to an A-ASSOCIATE-RQ", 0);
            }
        }
        catch (MdaiClaraException e) when (e.ErrorId == ErrorIds.DimseProtocolError)
        {
            if (stream is not null)
            {
                TryAbort(new PduStream(stream, peer, endpoint.Timeout));
            }

            client.Dispose();
            throw;
        }
        catch (MdaiClaraException e) when (e.ErrorId == ErrorIds.DimsePeerClosed && endpoint.Tls is { } tls && stream is not null)
        {
            // Under TLS 1.3 a server refuses our client certificate (or its absence) after the handshake has completed on our side.
            client.Dispose();
            throw new MdaiClaraException(
                $"The DICOM peer {peer} closed the TLS connection before answering the association: "
                + (tls.ClientCertificatePath is null ? "it probably requires a client certificate (mutual TLS); give ours." : "it probably does not trust our client certificate or its issuer; check the peer's log."),
                ErrorIds.DimseTlsFailed, ErrorKind.SecurityError, peer, e);
        }
        catch
        {
            client.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
    }

    /// <summary>The accepted context for an abstract syntax, or null.</summary>
    public PresentationContextResult? AcceptedContext(IReadOnlyList<PresentationContext> proposed, string abstractSyntax)
    {
        var ids = proposed.Where(p => p.AbstractSyntax == abstractSyntax).Select(p => p.Id).ToHashSet();
        return Accept.PresentationContexts.FirstOrDefault(r => r.IsAccepted && ids.Contains(r.Id));
    }

    public ushort NextMessageId() => _nextMessageId++ is var id && id == 0 ? _nextMessageId++ : id;

    /// <summary>Sends a request and returns the next message (the caller checks that it answers the request).</summary>
    public DimseMessage Exchange(DimseMessage request, string step)
    {
        try
        {
            _channel.Send(request, step);
            return _channel.Receive(step);
        }
        catch (MdaiClaraException e) when (e.ErrorId == ErrorIds.DimseProtocolError)
        {
            TryAbort(_pdus);
            _open = false;
            throw;
        }
    }

    /// <summary>Sends through the channel (a command and a streamed data set); a protocol error aborts the association.</summary>
    public void Send(Action<DimseMessageChannel> send)
    {
        try
        {
            send(_channel);
        }
        catch (MdaiClaraException e) when (e.ErrorId == ErrorIds.DimseProtocolError)
        {
            TryAbort(_pdus);
            _open = false;
            throw;
        }
    }

    /// <summary>Reads the next message; a protocol error aborts the association.</summary>
    public DimseMessage Receive(string step)
    {
        try
        {
            return _channel.Receive(step);
        }
        catch (MdaiClaraException e) when (e.ErrorId == ErrorIds.DimseProtocolError)
        {
            TryAbort(_pdus);
            _open = false;
            throw;
        }
    }

    /// <summary>A protocol error naming the peer, after sending A-ABORT (the association cannot go on).</summary>
    public MdaiClaraException ProtocolError(string what)
    {
        TryAbort(_pdus);
        _open = false;
        return PduDecoder.Malformed(Endpoint.ToString(), what, 0);
    }

    /// <summary>A-RELEASE-RQ and the wait for A-RELEASE-RP; a release collision (the peer's A-RELEASE-RQ first) is answered as requestor.</summary>
    public void Release()
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        _pdus.Write(new ReleaseRequestPdu(), "releasing the association");
        while (true)
        {
            switch (_pdus.Read("waiting for the release answer"))
            {
                case ReleaseResponsePdu:
                    return;
                case ReleaseRequestPdu:
                    _pdus.Write(new ReleaseResponsePdu(), "answering a release collision");
                    break;
                case AbortPdu:
                    return;
                case DataTransferPdu:
                    break;
                case var other:
                    TryAbort(_pdus);
                    throw PduDecoder.Malformed(Endpoint.ToString(), $"{other.GetType().Name} in answer to an A-RELEASE-RQ", 0);
            }
        }
    }

    /// <summary>
    /// Ends the association with an A-ABORT (after a protocol error, a transfer we give up on, or a cancel the peer
    /// did not finish) and closes the connection, so a read in progress on another thread ends at once.
    /// </summary>
    public void Abort()
    {
        if (_open)
        {
            _open = false;
            TryAbort(_pdus);
        }

        _client.Close();
    }

    public void Dispose()
    {
        try
        {
            Release();
        }
        catch (MdaiClaraException)
        {
            TryAbort(_pdus);
        }
        finally
        {
            _client.Dispose();
        }
    }

    private static void Connect(TcpClient client, DimseEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.Timeout);
        try
        {
            client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw DimseTransportErrors.Timeout(endpoint.ToString(), "connecting", endpoint.Timeout);
        }
        catch (SocketException e)
        {
            throw DimseTransportErrors.From(e, endpoint.ToString(), "connecting", endpoint.Timeout);
        }
    }

    private static void TryAbort(PduStream pdus)
    {
        try
        {
            pdus.Write(new AbortPdu(AbortPdu.ServiceProvider, 0), "aborting");
        }
        catch (MdaiClaraException)
        {
            // The peer is gone already; nothing more to tell it.
        }
    }
}
