using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Query;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// C-FIND results stream: a scripted peer holds its second pending response until our side has observed the first;
/// a consumer that stops after the first sends C-CANCEL, drains to the final response and releases.
/// </summary>
public sealed class DimseFindStreamTests
{
    [Fact]
    public async Task TheFirstMatchIsYieldedBeforeThePeerSendsTheSecond()
    {
        var firstObserved = new TaskCompletionSource();
        var secondSent = false;
        var observedBeforeSecond = false;
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            var request = session.Channel.Receive("reading the C-FIND-RQ");
            var id = request.Command.MessageId;
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(id, 0xFF00, hasData: true), request.DataSet), "pending 1");
            observedBeforeSecond = firstObserved.Task.Wait(TimeSpan.FromSeconds(10));
            secondSent = true;
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(id, 0xFF00, hasData: true), request.DataSet), "pending 2");
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(id, 0x0000, hasData: false), null), "final");
            session.ReleaseWhenAsked();
        });

        var count = 0;
        var secondSentWhenFirstSeen = true;
        foreach (var _ in DimseFind.Stream(peer.Endpoint(timeoutSeconds: 30), FindMapping.StudyIdentifier(new DicomQuery()), null, CancellationToken.None))
        {
            if (++count == 1)
            {
                secondSentWhenFirstSeen = secondSent;
                firstObserved.SetResult();
            }
        }

        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(secondSentWhenFirstSeen, "the first match must reach the consumer before the peer sends the second");
        Assert.True(observedBeforeSecond, "the peer waited in vain for our side to see the first match");
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task StoppingAfterTheFirstMatchSendsCCancelAndReleases()
    {
        ushort requestId = 0, cancelledId = 0;
        var released = false;
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            var request = session.Channel.Receive("reading the C-FIND-RQ");
            requestId = request.Command.MessageId;
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(requestId, 0xFF00, hasData: true), request.DataSet), "pending 1");
            var cancel = session.Channel.Receive("waiting for the C-CANCEL-RQ");
            Assert.Equal(DimseCommandField.CCancelRequest, cancel.Command.Field);
            cancelledId = cancel.Command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo);
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(requestId, 0xFE00, hasData: false), null), "final");
            session.ReleaseWhenAsked();
            released = true;
        });

        var first = DimseFind.Stream(peer.Endpoint(timeoutSeconds: 30), FindMapping.StudyIdentifier(new DicomQuery()), null, CancellationToken.None).First();
        Assert.NotNull(first);
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(requestId, cancelledId);
        Assert.True(released, "the association is released after the final response");
    }

    private static DimseCommand Response(ushort id, ushort status, bool hasData) => new DimseCommand()
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CFindResponse)
        .SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, id)
        .SetUInt16(DimseCommandTags.CommandDataSetType, hasData ? (ushort)0 : DimseCommandTags.NoDataSet)
        .SetUInt16(DimseCommandTags.Status, status);
}
