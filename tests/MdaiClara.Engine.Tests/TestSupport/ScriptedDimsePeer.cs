using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using MdaiClara.Engine.Networking.Dimse;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// A tiny DICOM peer on loopback for the negative cases no real server produces on demand: it accepts one TCP
/// connection and runs a script over our own PDU stream (accept or refuse the association, answer messages with chosen
/// statuses, stall, send nonsense, close). <see cref="Done"/> ends with the script (its exception, if any, surfaces there).
/// </summary>
internal sealed class ScriptedDimsePeer : IDisposable
{
    private readonly TcpListener _listener;
    private TcpClient? _client;

    public ScriptedDimsePeer(Action<Session> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Done = Task.Run(() =>
        {
            _client = _listener.AcceptTcpClient();
            _client.NoDelay = true;
            var stream = _client.GetStream();
            stream.ReadTimeout = 30_000;
            script(new Session(_client, new PduStream(stream, "scripted-peer-client", TimeSpan.FromSeconds(30))));
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task Done { get; }

    public DimseEndpoint Endpoint(double timeoutSeconds = 10, string calledAE = "SCRIPTED") =>
        new("127.0.0.1", Port, calledAE, DimseEndpoint.DefaultCallingAE, TimeSpan.FromSeconds(timeoutSeconds));

    public void Dispose()
    {
        _listener.Stop();
        _client?.Dispose();
    }

    public sealed class Session(TcpClient client, PduStream pdus)
    {
        public PduStream Pdus { get; } = pdus;

        public AssociateRequest? Request { get; private set; }

        public DimseMessageChannel Channel { get; private set; } = null!;

        /// <summary>Reads the A-ASSOCIATE-RQ and accepts every context with its first transfer syntax (or as <paramref name="answer"/> says).</summary>
        public AssociateRequest Accept(Func<PresentationContext, PresentationContextResult>? answer = null, uint maxPdu = 16384)
        {
            Request = (AssociateRequest)Pdus.Read("reading the request");
            var results = Request.PresentationContexts
                .Select(pc => answer?.Invoke(pc) ?? new PresentationContextResult(pc.Id, PresentationContextOutcome.Acceptance, pc.TransferSyntaxes[0])).ToList();
            Pdus.Write(new AssociateAccept(Request.CalledAE, Request.CallingAE, Request.ApplicationContext, results,
                new UserInformation(maxPdu, "1.2.3.4", "SCRIPTED", [])), "accepting");
            Channel = new DimseMessageChannel(Pdus, "client", Request.UserInformation.MaxPduLength);
            Pdus.MaxIncomingDataLength = maxPdu;
            return Request;
        }

        /// <summary>Answers one request with a response command of the given field and status.</summary>
        public DimseMessage AnswerNext(DimseCommandField responseField, ushort status)
        {
            var request = Channel.Receive("reading a request");
            var response = new DimseCommand()
                .SetUInt16(DimseCommandTags.CommandField, (ushort)responseField)
                .SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, request.Command.MessageId)
                .SetUInt16(DimseCommandTags.CommandDataSetType, DimseCommandTags.NoDataSet)
                .SetUInt16(DimseCommandTags.Status, status);
            Channel.Send(new DimseMessage(request.PresentationContextId, response, null), "answering");
            return request;
        }

        /// <summary>Waits for A-RELEASE-RQ and answers it.</summary>
        public void ReleaseWhenAsked()
        {
            while (Pdus.Read("waiting for the release") is not ReleaseRequestPdu)
            {
            }

            Pdus.Write(new ReleaseResponsePdu(), "releasing");
        }

        public void Close() => client.Close();
    }
}
