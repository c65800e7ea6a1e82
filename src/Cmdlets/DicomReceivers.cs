using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Networking.Dimse.Scp;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The DICOM receivers running in this session, by name (case-insensitive): Start-DicomReceiver adds one,
/// Stop-DicomReceiver stops and forgets it; removing the module stops them all.
/// </summary>
internal static class DicomReceivers
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, DimseReceiver> ByName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a receiver; false when one of that name runs already.</summary>
    public static bool TryRegister(DimseReceiver receiver)
    {
        lock (Gate)
        {
            return ByName.TryAdd(receiver.Name, receiver);
        }
    }

    public static DimseReceiver? Find(string name)
    {
        lock (Gate)
        {
            return ByName.TryGetValue(name, out var receiver) ? receiver : null;
        }
    }

    public static IReadOnlyList<DimseReceiver> All()
    {
        lock (Gate)
        {
            return ByName.Values.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }

    /// <summary>Stops a receiver and forgets it (only that very receiver, if another took its name since).</summary>
    public static void Stop(DimseReceiver receiver)
    {
        lock (Gate)
        {
            if (ByName.TryGetValue(receiver.Name, out var current) && ReferenceEquals(current, receiver))
            {
                ByName.Remove(receiver.Name);
            }
        }

        receiver.Dispose();
    }

    public static void Clear()
    {
        foreach (var receiver in All())
        {
            Stop(receiver);
        }
    }
}
