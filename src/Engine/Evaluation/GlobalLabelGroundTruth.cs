using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// A classifier's ground truth drawn on MD.ai: the global (exam-level) labels radiologists set on a study or series.
/// Each DICOM series of the studies given whose study or series carries a global label is a case; its truth is one 0/1
/// per model class, 1 where a global label mapped to that class is set on the study or on that series. A series whose
/// study has no global label at all was not read on MD.ai, so it is not a case (its absence is no negative).
/// The label map says which MD.ai label (name or id) is which class index (0 and up); by default each model class whose
/// name a global MD.ai label has.
/// </summary>
public static class GlobalLabelGroundTruth
{
    public static GroundTruthSet Read(GroundTruthSpec spec, MdaiAnnotationExport export, RunnableModel model, CancellationToken cancellationToken, IEngineLog? log)
    {
        var file = export.Source;
        var globals = export.Labels.Where(l => l.IsGlobal).ToList();
        var labelMap = spec.LabelMap ?? ClassLabelMap.ByClassName(globals, model, 0, "global MD.ai label", file);
        var classOfLabel = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, index) in labelMap)
        {
            var label = globals.FirstOrDefault(l => l.Id == key || string.Equals(l.Name, key, StringComparison.OrdinalIgnoreCase));
            if (label is null)
            {
                log.Warning($"{file}: no global MD.ai label is named (or has the id) '{key}'; global labels there: {string.Join(", ", globals.Select(l => $"'{l.Name}' ({l.Id})"))}.");
                continue;
            }

            if (index < 0 || index >= model.ClassNames.Count)
            {
                throw new MdaiClaraException(
                    $"{file}: MD.ai label '{label.Name}' is mapped to class {index}, but {model.Name} has classes 0 to {model.ClassNames.Count - 1}.",
                    ErrorIds.DataListInvalid, ErrorKind.InvalidArgument, key);
            }

            classOfLabel[label.Id] = index;
        }

        var (inputs, skipped) = InferenceInputs.FromPaths(spec.Studies, cancellationToken, log);
        foreach (var s in skipped)
        {
            log.Verbose($"Skipped {s}");
        }

        var cases = new List<GroundTruthCase>();
        foreach (var input in inputs.Where(i => i.Series is { Instances.Count: > 0 }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var files = input.Series!;
            var study = files.Instances[0].StudyInstanceUid;
            var set = export.GlobalLabels(study, files.SeriesInstanceUid);
            if (set.Count == 0)
            {
                log.Verbose($"Series {files.SeriesInstanceUid}: its study {study} has no global label in {file}; it is not a case.");
                continue;
            }

            var truth = new int[model.ClassNames.Count];
            foreach (var label in set.Where(l => classOfLabel.ContainsKey(l.Id)))
            {
                truth[classOfLabel[label.Id]] = 1;
            }

            var series = DicomSeriesAssembler.Assemble(files, cancellationToken, log);
            cases.Add(new GroundTruthCase
            {
                Name = files.SeriesInstanceUid,
                Image = InputSource.FromVolume(series, files.SeriesInstanceUid),
                ClassTruth = truth,
                TruthDescription = $"{file}: global labels {string.Join(", ", set.Select(l => $"'{l.Name}'"))}",
            });
        }

        if (cases.Count == 0)
        {
            log.Warning($"{file}: none of the series given has a global label on its study or series; nothing to measure.");
        }

        return new GroundTruthSet(cases, Array.Empty<MdaiClaraException>(), $"{file} (global labels) on {string.Join(", ", spec.Studies.Take(2))}{(spec.Studies.Count > 2 ? " …" : string.Empty)}");
    }
}
