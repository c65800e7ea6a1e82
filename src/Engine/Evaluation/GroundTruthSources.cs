using System;
using System.IO;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Evaluation;

/// <summary>Finds the cases of a ground-truth source.</summary>
public static class GroundTruthSources
{
    public static GroundTruthSet Resolve(GroundTruthSpec spec, RunnableModel model, CancellationToken cancellationToken, IEngineLog? log)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        switch (spec.Kind)
        {
            case GroundTruthKind.Validation:
                return ValidationDataList.Read(model, spec.DataRoot, spec.DataListKey);
            case GroundTruthKind.Paths:
                return GroundTruthPairing.Pair(spec.Images, spec.Labels, cancellationToken, log);
            case GroundTruthKind.DataList:
                var file = spec.DataListFile ?? throw new ArgumentException("A datalist source needs its file.", nameof(spec));
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new MdaiClaraException($"Cannot read the datalist {file}: {ex.Message}", ErrorIds.DataListInvalid, ErrorKind.ObjectNotFound, file, ex);
                }

                var root = spec.DataRoot ?? Path.GetDirectoryName(Path.GetFullPath(file)) ?? Environment.CurrentDirectory;
                return DataList.Read(bytes, file, spec.DataListKey ?? "validation", root, model.Task == ModelTask.Classification ? model.OutputChannels : null);
            case GroundTruthKind.Annotations:
                return AnnotationGroundTruth.Read(spec, model, cancellationToken, log);
            default:
                throw new ArgumentOutOfRangeException(nameof(spec));
        }
    }
}
