using System;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse.Query;

/// <summary>
/// One outstanding C-FIND on its own association, read one pending response at a time (<see cref="DimseFind.Stream"/>).
/// Disposing it before the final response (the consumer stopped early) sends C-CANCEL, drains to the final response and
/// releases; a protocol or read failure, or a peer that does not finish within the drain time, aborts instead.
/// </summary>
internal sealed class DimseFindSession : IDisposable
{
    private static readonly PresentationContext[] Contexts =
    [
        new(1, FindKeys.StudyRootFind, [TransferSyntax.ExplicitVRLittleEndian.Uid, TransferSyntax.ImplicitVRLittleEndian.Uid]),
    ];

    private readonly DimseAssociation _association;
    private readonly DimseCancel _cancel;
    private readonly ushort _id;
    private readonly int? _limit;
    private readonly string _peer;
    private readonly CancellationToken _token;
    private int _count;
    private bool _final;
    private bool _broken;
    private bool _ended;
    private ushort _status;
    private DimseCommand? _finalCommand;

    private DimseFindSession(DimseAssociation association, DimseCancel cancel, ushort id, int? limit, string peer, CancellationToken token)
    {
        _association = association;
        _cancel = cancel;
        _id = id;
        _limit = limit;
        _peer = peer;
        _token = token;
    }

    public static DimseFindSession Open(DimseEndpoint endpoint, DimseIdentifier identifier, int? limit, CancellationToken cancellationToken)
    {
        var peer = endpoint.ToString();
        var association = DimseAssociation.Open(endpoint, Contexts, null, cancellationToken);
        try
        {
            var context = association.AcceptedContext(Contexts, FindKeys.StudyRootFind)
                ?? throw new MdaiClaraException($"The DICOM peer {peer} accepted the association but not Study Root Query/Retrieve - FIND; it cannot be searched over DIMSE.",
                    ErrorIds.DimseNoPresentationContext, ErrorKind.InvalidOperation, peer);
            var explicitVr = context.TransferSyntax == TransferSyntax.ExplicitVRLittleEndian.Uid;
            var id = association.NextMessageId();
            association.Channel.Send(new DimseMessage(context.Id, DimseCommands.FindRequest(id, FindKeys.StudyRootFind), identifier.Encode(explicitVr)), "sending the C-FIND request");
            var cancel = new DimseCancel(association, context.Id, id, DimseCancel.DefaultDrain(endpoint), cancellationToken);
            return new DimseFindSession(association, cancel, id, limit, peer, cancellationToken);
        }
        catch
        {
            association.Dispose();
            throw;
        }
    }

    /// <summary>The next match, or null once the final response came (responses after a C-CANCEL are drained, not returned).</summary>
    public DicomDataset? Next()
    {
        try
        {
            while (!_final)
            {
                var response = _association.Receive("waiting for C-FIND responses");
                var command = response.Command;
                if (command.Field != DimseCommandField.CFindResponse || command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo) != _id)
                {
                    _broken = true;
                    throw _association.ProtocolError($"a {command.Field} that does not answer C-FIND-RQ {_id}");
                }

                if (!DimseStatus.IsPending(command.Status))
                {
                    _final = true;
                    _status = command.Status;
                    _finalCommand = command;
                    return null;
                }

                if (!_cancel.IsSent && response.DataSet is { } data)
                {
                    _count++;
                    var found = DicomFileReader.ReadBytes(data.ToArray(), $"C-FIND response {_count} from {_peer}").Dataset;
                    if (_limit is { } max && _count >= max)
                    {
                        _cancel.Send();
                    }

                    return found;
                }
            }

            return null;
        }
        catch (MdaiClaraException) when (_token.IsCancellationRequested)
        {
            // Cancelled, and the peer did not finish within the drain time (or the read timed out, or it broke off).
            _broken = true;
            throw new OperationCanceledException(_token);
        }
        catch (MdaiClaraException)
        {
            _broken = true;
            throw;
        }
    }

    /// <summary>After the final response: releases, then throws on a cancellation or a failure status.</summary>
    public void Finish()
    {
        End();
        if (_status is DimseStatus.Success or DimseStatus.Cancel || DimseStatus.IsWarning(_status))
        {
            _token.ThrowIfCancellationRequested();
            return;
        }

        throw new MdaiClaraException($"The DICOM peer {_peer} refused the search: C-FIND status {DimseStatus.Describe(_status)}"
            + (_finalCommand?.GetString(DimseCommandTags.ErrorComment) is { Length: > 0 } comment ? $" ({comment})." : "."),
            ErrorIds.DimseStatusFailure, ErrorKind.InvalidOperation, _peer);
    }

    public void Dispose()
    {
        if (!_final && !_broken)
        {
            // The consumer stopped before the final response: C-CANCEL, then drain to the final response.
            _cancel.Send();
            try
            {
                while (Next() is not null)
                {
                }
            }
            catch (Exception ex) when (ex is MdaiClaraException or OperationCanceledException)
            {
                _broken = true;
            }
        }

        try
        {
            End();
        }
        catch (MdaiClaraException)
        {
            // The release failed (the peer broke off): nothing is left to release; the socket is closed.
            _association.Abort();
        }
    }

    private void End()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _cancel.Dispose();
        if (_final && !_broken && !_cancel.DrainTimedOut)
        {
            _association.Release();
        }
        else
        {
            _association.Abort();
        }

        _association.Dispose();
    }
}
