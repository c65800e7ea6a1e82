using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse.Store;

/// <summary>
/// Storage SCU (PS3.4 B): reads each file's header, proposes one presentation context per SOP class and transfer
/// syntax (<see cref="StorePlan"/>), and sends every instance with C-STORE on what the peer accepted: as it is when the
/// peer took the file's own syntax, re-encoded to Explicit/Implicit VR Little Endian otherwise. Data sets stream from
/// disk in P-DATA fragments of the peer's maximum PDU; one result per file, in the order given, with the status named.
/// A refused context, a file that cannot be sent, or a failure status is that file's result; a broken association
/// stops the call.
/// </summary>
internal static class DimseStore
{
    public static IReadOnlyList<DicomStoreResult> Run(DimseEndpoint endpoint, string connection, IReadOnlyList<string> files,
        IProgress<DicomInstanceProgress>? progress, IEngineLog? log, CancellationToken cancellationToken)
    {
        var results = new DicomStoreResult?[files.Count];
        var index = new Dictionary<StoreInstance, int>(ReferenceEqualityComparer.Instance);
        var plans = new List<StorePlan> { new() };
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (StoreInstance.Read(files[i], out var why) is not { } instance)
            {
                results[i] = new DicomStoreResult(files[i], string.Empty, null, null, null, DicomStoreStatus.NotSent, null, why, connection);
            }
            else if (!StorePlan.CanSend(instance))
            {
                results[i] = Result(instance, DicomStoreStatus.NotSent, null, $"it cannot go as it is (it has no file meta, or its data set is not in the transfer syntax the file meta names) and {instance.ReencodeProblem}", connection);
            }
            else
            {
                index[instance] = i;
                if (!plans[^1].TryAdd(instance))
                {
                    plans.Add(new StorePlan());
                    plans[^1].TryAdd(instance);
                }
            }
        }

        var total = index.Count;
        var done = 0;
        long bytes = 0;
        foreach (var plan in plans.Where(p => p.Instances.Count > 0))
        {
            var contexts = plan.Contexts;
            log.Verbose($"C-STORE to {endpoint}: {plan.Instances.Count} instance(s), {contexts.Count} presentation context(s)");
            using var association = DimseAssociation.Open(endpoint, contexts, null, cancellationToken);
            foreach (var instance in plan.Instances)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[index[instance]] = StoreOne(association, plan.ContextFor(instance), instance, connection);
                bytes += instance.Length;
                progress?.Report(new DicomInstanceProgress(++done, total, instance.SopInstanceUid, bytes));
            }

            association.Release();
        }

        return results.Select(r => r!).ToList();
    }

    private static DicomStoreResult StoreOne(DimseAssociation association, PresentationContext proposed, StoreInstance instance, string connection)
    {
        var peer = association.Endpoint.ToString();
        var accepted = association.Accept.PresentationContexts.FirstOrDefault(r => r.Id == proposed.Id);
        if (accepted is not { IsAccepted: true })
        {
            var outcome = accepted?.Outcome.ToString() ?? "no answer";
            return Result(instance, DicomStoreStatus.Failed, null,
                $"the PACS {peer} refused its presentation context (SOP class {instance.SopClassUid} in {string.Join(" or ", proposed.TransferSyntaxes.Select(Name))}: {outcome})"
                + (instance.ReencodeProblem is { } problem && instance.AsIsSyntax is not null ? $", and it cannot be sent in another syntax: {problem}" : "")
                + ". Ask the PACS administrator to accept this SOP class and transfer syntax", connection);
        }

        var asIs = accepted.TransferSyntax == instance.AsIsSyntax;
        var id = association.NextMessageId();
        var step = $"storing {instance.Path}";
        association.Send(channel =>
        {
            channel.SendCommand(accepted.Id, DimseCommands.StoreRequest(id, instance.SopClassUid, instance.SopInstanceUid), step);
            var data = channel.BeginDataSet(accepted.Id, step);
            if (asIs)
            {
                using var source = new FileStream(instance.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
                source.Position = instance.DatasetOffset;
                data.WriteFrom(source, source.Length - instance.DatasetOffset);
            }
            else
            {
                DatasetReencoder.Write(instance.File, accepted.TransferSyntax == TransferSyntax.ExplicitVRLittleEndian.Uid, data);
            }

            data.Complete();
        });

        var response = association.Receive($"waiting for the C-STORE response for {instance.Path}");
        var command = response.Command;
        if (command.Field != DimseCommandField.CStoreResponse || command.GetUInt16(DimseCommandTags.MessageIdBeingRespondedTo) != id)
        {
            throw association.ProtocolError($"a {command.Field} that does not answer C-STORE-RQ {id}");
        }

        var status = command.Status;
        var outcomeOf = StoreStatus.Outcome(status);
        var comment = command.GetString(DimseCommandTags.ErrorComment) is { Length: > 0 } c ? $" ({c})" : "";
        var how = asIs ? "" : $" (re-encoded to {Name(accepted.TransferSyntax)})";
        return outcomeOf switch
        {
            DicomStoreStatus.Stored => Result(instance, outcomeOf, null, asIs ? null : "stored" + how, connection),
            DicomStoreStatus.Warning => Result(instance, outcomeOf, status, $"with a warning: {StoreStatus.Describe(status)}{comment}{how}", connection),
            _ => Result(instance, outcomeOf, status, $"the PACS refused it: {StoreStatus.Describe(status)}{comment}", connection),
        };
    }

    private static string Name(string uid) => TransferSyntax.FromUid(uid) is { IsKnown: true } ts ? ts.Name : uid;

    private static DicomStoreResult Result(StoreInstance i, DicomStoreStatus status, int? code, string? reason, string connection) =>
        new(i.Path, i.SopInstanceUid, i.SopClassUid, i.StudyInstanceUid, i.SeriesInstanceUid, status, code, reason, connection);
}
