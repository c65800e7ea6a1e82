using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>Finds an MMAR's TorchScript or checkpoint (the config's model entry, the environment, the conventional path) and reads its size, SHA-256 and format.</summary>
internal static class ModelFileDetector
{
    /// <summary>The model file of <paramref name="kind"/>: the config's enabled model entry, else the environment's path, else <paramref name="conventional"/>; null when none exists or is named.</summary>
    internal static ModelFileInfo? Locate(MmarFileSource source, InferenceConfig? inference, MmarPathReference? envReference, ModelReferenceKind kind, string conventional, CancellationToken cancellationToken)
    {
        string? relative = null;
        string origin;
        var configured = inference?.Models.FirstOrDefault(m => m.Kind == kind && !m.Disabled) ?? inference?.Models.FirstOrDefault(m => m.Kind == kind);
        if (configured?.ResolvedPath is { } unresolvedPath && unresolvedPath.Contains('{', StringComparison.Ordinal))
        {
            // Clara would stop here; do not quietly run some other model file instead.
            return new ModelFileInfo(unresolvedPath, unresolvedPath, false, null, null, ModelFileFormat.Unknown,
                $"not a usable path: it holds a placeholder no variable defines", $"{(kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")} in {configured.File}");
        }

        if (configured?.ResolvedPath is { } configuredPath)
        {
            var reference = PathClassifier.Classify(source, "model", configuredPath, configured.File, configured.Location, data: false);
            if (reference.Kind != MmarPathKind.InsideMmar)
            {
                return new ModelFileInfo(configuredPath, configuredPath, false, null, null, ModelFileFormat.Unknown, "outside the MMAR", $"{(kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")} in {configured.File}");
            }

            relative = reference.RelativePath;
            origin = $"{(kind == ModelReferenceKind.TorchScript ? "ts_path" : "ckpt_path")} in {configured.File}";
        }
        else if (envReference is not null)
        {
            if (envReference.Kind != MmarPathKind.InsideMmar)
            {
                return new ModelFileInfo(envReference.RawValue, envReference.RawValue, false, null, null, ModelFileFormat.Unknown, envReference.Kind == MmarPathKind.Invalid ? "not a usable path" : "outside the MMAR", $"{envReference.Key} in {envReference.DefinedIn}");
            }

            relative = envReference.RelativePath;
            origin = $"{envReference.Key} in {envReference.DefinedIn}";
        }
        else if (source.FileExists(conventional))
        {
            relative = conventional;
            origin = "found at the conventional path";
        }
        else
        {
            return null;
        }

        if (relative is null || !source.FileExists(relative))
        {
            return new ModelFileInfo(relative ?? string.Empty, source.DisplayPath(relative ?? string.Empty), false, null, null, ModelFileFormat.Unknown, "the file does not exist", origin);
        }

        var bytes = source.GetLength(relative);
        string sha;
        ModelFileInspection inspection;
        try
        {
            using (var stream = source.OpenRead(relative))
            {
                sha = Sha256Hex(stream, cancellationToken);
            }

            using (var stream = OpenSeekable(source, relative))
            {
                inspection = ModelFileInspector.Inspect(stream, relative);
            }
        }
        catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.MmarZipCorrupt)
        {
            return new ModelFileInfo(relative, source.DisplayPath(relative), true, bytes, null, ModelFileFormat.NotAModel, MmarAnalyzer.DamagedEntryReason(ex), origin);
        }

        return new ModelFileInfo(relative, source.DisplayPath(relative), true, bytes, sha, inspection.Format, inspection.Detail, origin);
    }

    /// <summary>Zip entry streams cannot seek; model files are spooled to a temp file that deletes itself.</summary>
    internal static Stream OpenSeekable(MmarFileSource source, string relative)
    {
        var stream = source.OpenRead(relative);
        if (stream.CanSeek)
        {
            return stream;
        }

        var temp = new FileStream(Path.Combine(Path.GetTempPath(), "mdaiclara-" + Guid.NewGuid().ToString("N") + ".tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        using (stream)
        {
            stream.CopyTo(temp);
        }

        temp.Position = 0;
        return temp;
    }

    private static string Sha256Hex(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, n);
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
