using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// Publish-MdaiModel's smoke run: the packaged MMAR (model/workspace, as MD.ai will have it) run on a study through
/// MdaiClara's engine, judged as the generated interface code will judge it: the study through the code's own
/// refusals, a segmentation's result as its saver writes it and the code reads it (<see cref="PackagedSaverOutput"/>),
/// and the MD.ai list checked by MD.ai's rules. It checks form, not accuracy (<see cref="MdaiPublisher.FormNotAccuracy"/>).
/// </summary>
internal static class MdaiSmokeRun
{
    public static List<PublishCheck> Run(string zip, MdaiPackage package, PublishOptions options, ModelSessionCache cache, IEngineLog? log, CancellationToken cancellationToken)
    {
        var study = options.Study ?? (MdaiPublisher.BundledStudy() is { } bundled && package.Settings.Task == "segmentation" ? new[] { bundled } : null);
        if (study is null)
        {
            // A package nobody ran is not delivered: MD.ai would be the first to run it.
            return [Failed($"no study to run the {package.Settings.Task} model on: give a study (DICOM files or a folder of one study)")];
        }

        InputSource input;
        List<InferenceResult> results;
        PackagedSaverOutput? saved = null;
        var clock = Stopwatch.StartNew();
        try
        {
            var extracted = Path.Combine(Path.GetDirectoryName(zip)!, "extracted");
            ZipFile.ExtractToDirectory(zip, extracted);
            var mmar = Path.Combine(extracted, "model", "workspace", package.Settings.MmarRoot == "." ? string.Empty : package.Settings.MmarRoot);

            // MD.ai sends DICOM: the study's largest DICOM series is what its model would see (NIfTI or pictures
            // beside it are not MD.ai input).
            var (inputs, _) = InferenceInputs.FromPaths(study, cancellationToken, log);
            var series = inputs.Where(i => i.Series is not null).OrderByDescending(i => i.Series!.Instances.Count).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
            if (series.Count == 0)
            {
                return [Failed($"no DICOM series in {string.Join(", ", study)}")];
            }

            input = series[0];
            if (InterfaceCodeRefusal(input.Series!, package.Settings.Task) is { } refusal)
            {
                return [Failed($"MD.ai's interface code would refuse {input.Name}: {refusal}")];
            }

            // A segmentation model sees the series as one volume; the generated classification code gives the model
            // each instance as its own file, so the smoke run does too (the first ClassifiedInstances of them).
            var runs = package.Settings.Task == "classification"
                ? input.Series!.Instances.Where(i => !i.IsLocalizer).Take(MdaiPublisher.ClassifiedInstances).Select(i => InputSource.FromFile(i.Path, i.SopInstanceUid)).ToList()
                : [input];
            // The datalist as the packaged code will write it for this input, read back as Clara 4.1 (MONAI 0.8.1) reads it.
            ClaraReadsTheDatalist(mmar, package.Settings, input.Name);
            var packaged = MmarAnalyzer.Open(mmar, cancellationToken);
            if (package.Settings.SavedOutput is { } description && packaged.Info.InferenceConfig is { } config)
            {
                saved = new PackagedSaverOutput(config, description);
            }

            using var session = ClaraInferenceSession.Create(RunnableModels.FromMmar(packaged), new InferenceSessionOptions(options.Device), cache, log);
            results = runs.Select(run => session.Run(run, null, false, null, cancellationToken, saved is null ? null : saved.Observe)).ToList();
        }
        catch (MdaiClaraException ex)
        {
            return [Failed(ex.Message)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return [Failed($"the packaged MMAR could not be run: {ex.Message}")];
        }

        if (results.FirstOrDefault(r => r.Task != package.Settings.Task) is { } wrong)
        {
            return [Failed($"the packaged MMAR gave a {wrong.Task} result on {wrong.Input}, but it is packaged as a {package.Settings.Task} model (PROCESSING_TASK in its environment.json): MD.ai would find no result where the interface code looks")];
        }

        if (saved is { Refusal: { } refused })
        {
            return [Failed($"MD.ai's interface code would refuse what {saved.Saver} writes{(saved.SavedShape is null ? string.Empty : $" ({saved.SavedShape})")}: {refused}")];
        }

        if (saved is { Labels: null })
        {
            return [Failed($"{saved.Saver} never ran in the pipeline, so MD.ai's interface code would find no result")];
        }

        var first = results[0];
        var what = first.Task == "segmentation"
            ? $"{input.Name} ({input.Series!.Instances.Count} instances): {string.Join(", ", first.Classes.Where(c => c.Label > 0).Select(c => $"{c.Name} {c.VolumeMl:0.##} mL"))}"
            : $"{results.Count} of the {input.Series!.Instances.Count} instances of {input.Name}, each as its own image: first {string.Join(", ", first.Probabilities.Take(5))}";
        var read = saved is null ? string.Empty : $"; {saved.Saver} writes {saved.SavedShape}, which the packaged code reads as {package.Settings.SavedOutput!.Describe()}";
        var checks = new List<PublishCheck>
        {
            new("Smoke run", PublishCheckStatus.Passed, $"{what}; on {first.Device} in {clock.Elapsed.TotalSeconds:0.0} s{read} (form, not accuracy)"),
        };

        checks.Add(OutputCheck(package, results, saved, cancellationToken));
        return checks;
    }

    /// <summary>The MD.ai list the packaged code would return, checked strictly by MD.ai's rules.</summary>
    private static PublishCheck OutputCheck(MdaiPackage package, List<InferenceResult> results, PackagedSaverOutput? saved, CancellationToken cancellationToken)
    {
        try
        {
            var map = package.Settings.LabelToClassIndex?.ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value);
            // A segmentation's masks come from the label map the packaged code reads from the saver's file, placed by
            // position on the series (as the code does), not from MdaiClara's own label map.
            IEnumerable<JsonObject> Outputs(InferenceResult r) => saved?.Labels is { } labels && r.InputDicom is { } dicom && r.InputAffine is { } affine
                ? MdaiOutputBuilder.SegmentationOutputs(labels, dicom, r.Shape, affine, map).Select(o => o.ToJson())
                : MdaiResults.Outputs(r, map, package.Settings.Classification?.Threshold ?? 0.5);

            // Strict: every mask element, not only the first one MD.ai's server looks at. Output by output, so a large
            // study's masks are never all in memory.
            var (count, annotations) = (0, 0);
            var findings = MdaiOutputValidator.ValidateEach(results.SelectMany(Outputs), strict: true, seen: o =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                count++;
                annotations += o?["type"]?.GetValue<string>() == "ANNOTATION" ? 1 : 0;
            });
            var problems = findings.Where(f => f.Severity != FindingSeverity.Information).Select(f => f.ToString()).ToList();
            return new PublishCheck("MD.ai output", problems.Count == 0 ? PublishCheckStatus.Passed : PublishCheckStatus.Failed,
                problems.Count == 0 ? $"{count} outputs ({annotations} annotations) pass MD.ai's output rules" : string.Join("; ", problems.Take(5)));
        }
        catch (MdaiClaraException ex)
        {
            return new PublishCheck("MD.ai output", PublishCheckStatus.Failed, ex.Message);
        }
    }

    private static void ClaraReadsTheDatalist(string mmar, MdaiDeploySettings settings, string input)
    {
        var datasetPath = Path.Combine(mmar, settings.DatasetJson);
        var datalist = File.Exists(datasetPath) ? JsonNode.Parse(File.ReadAllText(datasetPath)) as JsonObject : null;
        if (datalist is null)
        {
            throw new MdaiClaraException($"The package has no dataset JSON object at {settings.DatasetJson} for the interface code to list its input in.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, settings.DatasetJson);
        }

        var path = $"/workspace/data/{input}{(settings.Task == "segmentation" ? ".nii.gz" : ".dcm")}";
        datalist[settings.DatalistKey] = new JsonArray(PackagedDatalist.Entry(settings.DatalistEntry, path));
        PackagedDatalist.ClaraReads(datalist, settings.DatalistKey, settings.DatasetJson);
    }

    private static PublishCheck Failed(string detail) => new("Smoke run", PublishCheckStatus.Failed, detail);

    /// <summary>
    /// What the generated mdai_deploy.py refuses (mdai_clara_dicom.py) that MdaiClara's own reader accepts, so a smoke
    /// run does not pass a study MD.ai would fail on: multi-frame instances; for segmentation, slices without a position
    /// or orientation (MdaiClara assumes an axial plane, the generated code cannot place their pixels).
    /// </summary>
    private static string? InterfaceCodeRefusal(Imaging.Dicom.DicomSeriesFiles series, string task)
    {
        // The generated code leaves localizers out first (when the series is not all localizers), as our reader does.
        var slices = series.Instances.Where(i => !i.IsLocalizer).ToList() is { Count: > 0 } kept ? kept : series.Instances.ToList();
        if (slices.FirstOrDefault(i => i.NumberOfFrames > 1) is { } multiframe)
        {
            return $"{multiframe.SopInstanceUid} ({multiframe}) holds {multiframe.NumberOfFrames} frames, and the generated code takes single-frame images only. Use a study of single-frame images (e.g. converted with dcm4che's emf2sf).";
        }

        if (task != "segmentation")
        {
            return null;
        }

        if (slices.FirstOrDefault(i => i.SamplesPerPixel != 1) is { } colour)
        {
            return $"{colour.SopInstanceUid} ({colour}) is a colour image ({colour.SamplesPerPixel} samples per pixel), and the generated segmentation code reads greyscale volumes only.";
        }

        // Orientation always; position unless the series is one image (the generated code puts a lone image at the origin).
        if (slices.FirstOrDefault(i => i.Frames.Count == 0 || i.Frames[0].Orientation is null || (slices.Count > 1 && i.Frames[0].Position is null)) is { } unplaced)
        {
            return $"{unplaced.SopInstanceUid} ({unplaced}) has no ImagePositionPatient (0020,0032) or ImageOrientationPatient (0020,0037), which the generated code needs to place its pixels.";
        }

        return null;
    }
}
