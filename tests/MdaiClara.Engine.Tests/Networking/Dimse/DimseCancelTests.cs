using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Networking.Dimse.Query;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>
/// C-CANCEL of a C-FIND while our side waits for responses (Ctrl+C): a scripted peer sends pending responses, then
/// stalls; the cancellation sends C-CANCEL-RQ with the request's message ID at once, drains to the final response and
/// releases; a peer that never finishes is aborted after the drain time.
/// </summary>
public sealed class DimseCancelTests
{
    [Fact]
    public async Task CancellingSendsCCancelDrainsToTheFinalResponseAndReleases()
    {
        var pendingSent = new TaskCompletionSource();
        ushort requestId = 0, cancelledId = 0;
        var released = false;
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            var request = session.Channel.Receive("reading the C-FIND-RQ");
            requestId = request.Command.MessageId;
            for (var i = 0; i < 2; i++)
            {
                session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(requestId, 0xFF00, hasData: true), request.DataSet), "pending");
            }

            pendingSent.SetResult();
            var cancel = session.Channel.Receive("waiting for the C-CANCEL-RQ");
            Assert.Equal(DimseCommandField.CCancelRequest, cancel.Command.Field);
            cancelledId = cancel.Command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo);
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(requestId, 0xFE00, hasData: false), null), "final");
            session.ReleaseWhenAsked();
            released = true;
        });

        using var cts = new CancellationTokenSource();
        var find = Task.Run(() => DimseFind.Run(peer.Endpoint(timeoutSeconds: 30), FindMapping.StudyIdentifier(new DicomQuery()), null, cts.Token));
        await pendingSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(300); // our side is now blocked reading the next response
        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => find);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {clock.Elapsed}");
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(requestId, cancelledId);
        Assert.True(released, "the association is released after the final response");
    }

    [Fact]
    public async Task APeerThatIgnoresTheCancelIsAbortedAfterTheDrainTime()
    {
        var pendingSent = new TaskCompletionSource();
        IPdu? afterCancel = null;
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            var request = session.Channel.Receive("reading the C-FIND-RQ");
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(request.Command.MessageId, 0xFF00, hasData: true), request.DataSet), "pending");
            pendingSent.SetResult();
            Assert.Equal(DimseCommandField.CCancelRequest, session.Channel.Receive("waiting for the C-CANCEL-RQ").Command.Field);
            afterCancel = session.Pdus.Read("waiting for what follows the ignored cancel");
        });

        using var cts = new CancellationTokenSource();
        var find = Task.Run(() => DimseFind.Run(peer.Endpoint(timeoutSeconds: 2), FindMapping.StudyIdentifier(new DicomQuery()), null, cts.Token));
        await pendingSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => find);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 6);
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<AbortPdu>(afterCancel);
    }

    [Fact]
    public async Task AReachedLimitCancelsAndKeepsWhatArrived()
    {
        ushort cancelledId = 0;
        using var peer = new ScriptedDimsePeer(session =>
        {
            session.Accept();
            var request = session.Channel.Receive("reading the C-FIND-RQ");
            for (var i = 0; i < 3; i++)
            {
                session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(request.Command.MessageId, 0xFF00, hasData: true), request.DataSet), "pending");
            }

            var cancel = session.Channel.Receive("waiting for the C-CANCEL-RQ");
            cancelledId = cancel.Command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo);
            session.Channel.Send(new DimseMessage(request.PresentationContextId, Response(request.Command.MessageId, 0xFE00, hasData: false), null), "final");
            session.ReleaseWhenAsked();
        });

        var found = DimseFind.Run(peer.Endpoint(), FindMapping.StudyIdentifier(new DicomQuery()), 2, CancellationToken.None);
        Assert.Equal(2, found.Count);
        await peer.Done.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((ushort)1, cancelledId);
    }

    private static DimseCommand Response(ushort id, ushort status, bool hasData) => new DimseCommand()
        .SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CFindResponse)
        .SetUInt16(DimseCommandTags.MessageIdBeingRespondedTo, id)
        .SetUInt16(DimseCommandTags.CommandDataSetType, hasData ? (ushort)0 : DimseCommandTags.NoDataSet)
        .SetUInt16(DimseCommandTags.Status, status);
}
