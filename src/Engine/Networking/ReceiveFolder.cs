using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Engine.Networking;

/// <summary>
/// The folder a series is retrieved into, whatever the transport: one &lt;SOPInstanceUID&gt;.dcm per instance. What is
/// there already is indexed by the SOP Instance UID in each file's header (not by file name), so a retrieval can skip
/// it. A new instance is streamed into a hidden temporary file, then renamed to its UID once its header has been read,
/// so the folder never holds a partial instance; a temporary file is removed on any failure or cancellation, and
/// leftovers of a process that was killed are removed when the folder is opened again.
/// </summary>
public sealed partial class ReceiveFolder
{
    private const string TemporaryPrefix = ".mdaiclara-receive-";
    private readonly Dictionary<string, string> _present = new(StringComparer.Ordinal);

    public ReceiveFolder(string folder)
    {
        Folder = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(Folder);
            foreach (var stale in Directory.EnumerateFiles(Folder, TemporaryPrefix + "*"))
            {
                TryDelete(stale);
            }

            foreach (var file in Directory.EnumerateFiles(Folder))
            {
                if (Path.GetFileName(file).StartsWith('.'))
                {
                    continue;
                }

                if (TryReadSopInstanceUid(file) is { } uid)
                {
                    _present.TryAdd(uid, file);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot use the folder {Folder} for received instances: {ex.Message.TrimEnd('.')}.",
                ErrorIds.DicomReceiveWriteFailed, ErrorKind.WriteError, Folder, ex);
        }
    }

    public string Folder { get; }

    /// <summary>SOP Instance UIDs of the instances already in the folder.</summary>
    public IReadOnlyCollection<string> Present => _present.Keys;

    public bool Contains(string sopInstanceUid) => _present.ContainsKey(sopInstanceUid);

    /// <summary>A new hidden temporary file in the folder, opened for writing.</summary>
    public FileStream CreateTemporary()
    {
        var path = Path.Combine(Folder, $"{TemporaryPrefix}{Guid.NewGuid():N}.part");
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(path, ex);
        }
    }

    /// <summary>
    /// Names a finished temporary file by the SOP Instance UID in its header: renamed to &lt;uid&gt;.dcm, or removed
    /// when that instance is already there. Returns the UID and whether it was new. A temporary file that is not a
    /// DICOM instance with a SOP Instance UID is removed and reported as the server's fault.
    /// </summary>
    public (string SopInstanceUid, bool Added) Commit(string temporary, string source)
    {
        string? uid;
        try
        {
            uid = TryReadSopInstanceUid(temporary);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        return Commit(temporary, uid, source);
    }

    /// <summary>As <see cref="Commit(string, string)"/>, for a caller that has read the temporary file's SOP Instance UID already.</summary>
    public (string SopInstanceUid, bool Added) Commit(string temporary, string? uid, string source)
    {
        if (uid is null || uid.Length > 64 || !UidPattern().IsMatch(uid))
        {
            TryDelete(temporary);
            throw new MdaiClaraException(
                $"{source} sent a part that is not a DICOM instance with a valid SOP Instance UID ({(uid is null ? "none could be read" : $"'{uid}'")}); it was not kept.",
                ErrorIds.DicomWebResponseInvalid, ErrorKind.InvalidData, source);
        }

        if (_present.ContainsKey(uid))
        {
            TryDelete(temporary);
            return (uid, false);
        }

        var target = Path.Combine(Folder, uid + ".dcm");
        try
        {
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw WriteFailed(target, ex);
        }

        _present[uid] = target;
        return (uid, true);
    }

    /// <summary>Removes a temporary file that will not be committed (failure, cancellation).</summary>
    public static void Abandon(string temporary) => TryDelete(temporary);

    private static string? TryReadSopInstanceUid(string file)
    {
        try
        {
            var dicom = DicomFileReader.Read(file);
            var uid = dicom.Dataset.GetString(DicomTag.SopInstanceUid)?.Trim('\0', ' ');
            return string.IsNullOrEmpty(uid) ? null : uid;
        }
        catch (MdaiClaraException)
        {
            // Not DICOM, truncated (an earlier run cut off by a power loss): not present, fetched again.
            return null;
        }
    }

    private static MdaiClaraException WriteFailed(string path, Exception ex) => new(
        $"Cannot write the received instance {path}: {ex.Message.TrimEnd('.')}.", ErrorIds.DicomReceiveWriteFailed, ErrorKind.WriteError, path, ex);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a hidden leftover is removed when the folder is next opened.
        }
    }

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)*$")]
    private static partial Regex UidPattern();
}
