using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The PACS connections defined in this session, by name (case-insensitive): New-DicomWebConnection adds one (a
/// connection of the same name is replaced and closed), the Find/Receive/Send commands take a name or the object,
/// Remove-DicomConnection closes one; removing the module closes them all.
/// </summary>
internal static class DicomConnections
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, IDicomConnection> ByName = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(IDicomConnection connection)
    {
        IDicomConnection? replaced;
        lock (Gate)
        {
            ByName.TryGetValue(connection.Name, out replaced);
            ByName[connection.Name] = connection;
        }

        if (replaced is not null && !ReferenceEquals(replaced, connection))
        {
            replaced.Dispose();
        }
    }

    public static IDicomConnection? Find(string name)
    {
        lock (Gate)
        {
            return ByName.TryGetValue(name, out var connection) ? connection : null;
        }
    }

    public static IReadOnlyList<IDicomConnection> All()
    {
        lock (Gate)
        {
            return ByName.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }

    public static IReadOnlyList<string> Names()
    {
        lock (Gate)
        {
            return ByName.Keys.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }

    public static bool Remove(string name)
    {
        IDicomConnection? removed;
        lock (Gate)
        {
            if (!ByName.Remove(name, out removed))
            {
                return false;
            }
        }

        removed.Dispose();
        return true;
    }

    public static void Clear()
    {
        List<IDicomConnection> all;
        lock (Gate)
        {
            all = ByName.Values.ToList();
            ByName.Clear();
        }

        foreach (var connection in all)
        {
            connection.Dispose();
        }
    }
}
