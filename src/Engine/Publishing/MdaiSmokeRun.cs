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
/// refusals (<see cref="SmokeStudy"/>), a segmentation's result as its saver writes it and the code reads it
/// (<see cref="PackagedSaverOutput"/>), and the MD.ai list checked by MD.ai's rules (<see cref="SmokeJudgement"/>). It checks form, not accuracy (<see cref="MdaiPublisher.FormNotAccuracy"/>).
/// </summary>
internal static class MdaiSmokeRun
{
    public static List<PublishCheck> Run(string zip, MdaiPackage package, PublishOptions options, ModelSessionCache cache, IEngineLog? log, CancellationToken cancellationToken)
    {
        var task = package.Settings.Task;
        InputSource input;
        List<InferenceResult> results;
        PackagedSaverOutput? saved = null;
        var clock = Stopwatch.StartNew();
        try
        {
            var (chosen, failure) = SmokeStudy.Choose(options.Study, task, log, cancellationToken);
            if (chosen is null)
            {
                return [SmokeJudgement.Failed(failure!)];
            }

            input = chosen;
            var extracted = Path.Combine(Path.GetDirectoryName(zip)!, "extracted");
            ZipFile.ExtractToDirectory(zip, extracted);
            var mmar = Path.Combine(extracted, "model", "workspace", package.Settings.MmarRoot == "." ? string.Empty : package.Settings.MmarRoot);

            var runs = SmokeStudy.Runs(input, task);
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
            return [SmokeJudgement.Failed(ex.Message)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return [SmokeJudgement.Failed($"the packaged MMAR could not be run: {ex.Message}")];
        }

        var map = package.Settings.LabelToClassIndex?.ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value);
        var judged = new SmokePackage("the packaged MMAR", task, "PROCESSING_TASK in its environment.json", package.Settings.SavedOutput, map, package.Settings.Classification?.Threshold ?? 0.5);
        return SmokeJudgement.Judge(judged, input, results, saved, clock.Elapsed, cancellationToken);
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
}
