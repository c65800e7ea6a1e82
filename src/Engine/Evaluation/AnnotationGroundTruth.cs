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
/// Ground truth drawn on MD.ai: each DICOM series of the studies given that has annotations of the mapped labels becomes
/// a case, its annotations rasterised on the series' own grid as MD.ai's client does it (the annotations floor's
/// <see cref="AnnotationRasterizer"/>). The label map says which MD.ai label (name or id) is which class value; by default
/// each of the model's class names that an MD.ai label has is that class. For a classifier the truth is MD.ai's global
/// labels instead (<see cref="GlobalLabelGroundTruth"/>).
/// </summary>
public static class AnnotationGroundTruth
{
    public static GroundTruthSet Read(GroundTruthSpec spec, RunnableModel model, CancellationToken cancellationToken, IEngineLog? log)
    {
        var file = spec.AnnotationsFile ?? throw new ArgumentException("An annotation source needs its export file.", nameof(spec));
        var export = MdaiAnnotationExport.Read(file, cancellationToken);
        if (model.Task == ModelTask.Classification)
        {
            return GlobalLabelGroundTruth.Read(spec, export, model, cancellationToken, log);
        }

        var labelMap = spec.LabelMap ?? ClassLabelMap.ByClassName(export.Labels, model, 1, "MD.ai label", file);
        var mappedIds = new HashSet<string>(
            export.Labels.Where(l => labelMap.ContainsKey(l.Name) || labelMap.ContainsKey(l.Id)).Select(l => l.Id),
            StringComparer.Ordinal);
        foreach (var key in labelMap.Keys.Where(k => !export.Labels.Any(l => string.Equals(l.Name, k, StringComparison.OrdinalIgnoreCase) || l.Id == k)))
        {
            log.Warning($"{file}: no MD.ai label is named (or has the id) '{key}'; labels there: {string.Join(", ", export.Labels.Select(l => $"'{l.Name}' ({l.Id})"))}.");
        }

        var (inputs, skipped) = InferenceInputs.FromPaths(spec.Studies, cancellationToken, log);
        foreach (var s in skipped)
        {
            log.Verbose($"Skipped {s}");
        }

        var annotated = export.Annotations.Where(a => mappedIds.Contains(a.LabelId) && a.SeriesInstanceUid is not null)
            .GroupBy(a => a.SeriesInstanceUid!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var cases = new List<GroundTruthCase>();
        var problems = new List<MdaiClaraException>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs.Where(i => i.Series is not null))
        {
            var uid = input.Series!.SeriesInstanceUid;
            if (!annotated.TryGetValue(uid, out var count))
            {
                log.Verbose($"Series {uid} has no annotation of the labels measured in {file}; it is not a case.");
                continue;
            }

            found.Add(uid);
            var series = DicomSeriesAssembler.Assemble(input.Series, cancellationToken, log);
            var labels = AnnotationRasterizer.ToLabelVolume(export, series, labelMap, cancellationToken);
            cases.Add(new GroundTruthCase
            {
                Name = uid,
                Image = InputSource.FromVolume(series, uid),
                LabelVolume = labels.Labels,
                TruthDescription = $"{file}: {count} annotation(s)",
                Warnings = labels.Warnings,
            });
        }

        foreach (var missing in annotated.Keys.Where(uid => !found.Contains(uid)))
        {
            problems.Add(new MdaiClaraException(
                $"{file} annotates series {missing} ({annotated[missing]} annotation(s)), which is not among the studies given; it is not measured.",
                ErrorIds.GroundTruthUnpaired, ErrorKind.ObjectNotFound, missing));
        }

        return new GroundTruthSet(cases, problems, $"{file} on {string.Join(", ", spec.Studies.Take(2))}{(spec.Studies.Count > 2 ? " …" : string.Empty)}");
    }
}
