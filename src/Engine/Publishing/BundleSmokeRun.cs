using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mdai.Packaging;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// Publish-MdaiModel -Bundle's smoke run: the packaged bundle (model/bundle, as MD.ai will have it) opened and run on a
/// study through MdaiClara's engine with the bundle's own MONAI semantics, judged as the generated interface code will
/// judge it: the study through the code's refusals (<see cref="SmokeStudy"/>); the NIfTI the bundle's SaveImaged writes
/// under the overridden output_dir and the code finds by the input's name (output_ext, output_postfix, separate_folder), its array as written (channels last, squeeze_end_dims, output_dtype, resample) read by saved_output
/// in mdai_clara.json (<see cref="PackagedSaverOutput"/>); the MD.ai list checked by MD.ai's rules
/// (<see cref="SmokeJudgement"/>). A classifier reading DICOM runs as an MMAR classifier does, instance by instance.
/// A package the smoke run cannot judge (a classifier fed PNG pictures) fails with why, never passes.
/// </summary>
internal static class BundleSmokeRun
{
    public static List<PublishCheck> Run(string zip, MdaiBundlePackage package, PublishOptions options, ModelSessionCache cache, IEngineLog? log, CancellationToken cancellationToken)
    {
        var settings = JsonNode.Parse(package.Settings) as JsonObject;
        var task = settings?["task"]?.GetValue<string>() ?? "an unnamed task";
        if (Unjudged(task, settings) is { } unjudged)
        {
            return [SmokeJudgement.Failed(unjudged)];
        }

        var segmentation = task == "segmentation";
        InputSource input;
        List<InferenceResult> results;
        PackagedSaverOutput? saved = null;
        SavedSegmentationOutput? description = null;
        var clock = Stopwatch.StartNew();
        try
        {
            if (segmentation)
            {
                description = settings!["saved_output"]?.Deserialize<SavedSegmentationOutput>()
                    ?? throw Unreadable("mdai_clara.json has no saved_output");
            }

            var (chosen, failure) = SmokeStudy.Choose(options.Study, task, log, cancellationToken);
            if (chosen is null)
            {
                return [SmokeJudgement.Failed(failure!)];
            }

            input = chosen;
            var extracted = Path.Combine(Path.GetDirectoryName(zip)!, "extracted");
            ZipFile.ExtractToDirectory(zip, extracted);
            var bundle = Path.Combine(extracted, "model", settings?["bundle_root"]?.GetValue<string>() ?? MdaiBundlePackageBuilder.BundleFolder);

            // The packaged bundle, not the source: what MD.ai will run.
            using var analysis = BundleAnalyzer.Analyze(bundle, cancellationToken);
            var model = RunnableModels.FromBundle(analysis);
            if (model.NotRunnable is { } notRunnable)
            {
                return [SmokeJudgement.Failed($"the packaged bundle cannot be run: {notRunnable}")];
            }

            var expected = segmentation ? ModelTask.Segmentation : ModelTask.Classification;
            if (model.Task != expected || model.Inference is null)
            {
                return [SmokeJudgement.Failed($"the packaged bundle is packaged as a {task} model, but its metadata.json makes it a {model.Task.ToString().ToLowerInvariant()} model ({model.TaskSource}): the interface code would find no result")];
            }

            var semantics = MonaiSemanticsVersions.Parse(model.MonaiVersion);
            if (description is not null)
            {
                saved = new PackagedSaverOutput(model.Inference, description, semantics);
                if (WhereItWrites(saved) is { } nowhere)
                {
                    return [SmokeJudgement.Failed($"MD.ai's interface code would find no result: {nowhere}")];
                }
            }

            // As for an MMAR: a segmentation's series as one volume, a classifier's instances one by one (as DICOM files).
            using var session = ClaraInferenceSession.Create(model, new InferenceSessionOptions(options.Device, semantics), cache, log);
            results = SmokeStudy.Runs(input, task).Select(run => session.Run(run, null, false, null, cancellationToken, saved is null ? null : saved.Observe)).ToList();
        }
        catch (MdaiClaraException ex)
        {
            return [SmokeJudgement.Failed(ex.Message)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or JsonException or InvalidOperationException)
        {
            return [SmokeJudgement.Failed($"the packaged bundle could not be run: {ex.Message}")];
        }

        var threshold = settings?["classification"]?["threshold"] is JsonValue t && t.TryGetValue<double>(out var given) ? given : 0.5;
        var judged = new SmokePackage("the packaged bundle", task, "task in its mdai_clara.json", description, LabelMap(settings), threshold);
        return SmokeJudgement.Judge(judged, input, results, saved, clock.Elapsed, cancellationToken);
    }

    /// <summary>
    /// Why the interface code would not find the NIfTI the bundle's SaveImaged writes: it runs the config with output_dir
    /// overridden (packaging refuses a saver that does not write under @output_dir) and looks, under that folder, for
    /// the one .nii/.nii.gz file named after the input (any postfix, in a folder of its own or not). Null when it finds it.
    /// </summary>
    private static string? WhereItWrites(PackagedSaverOutput saved)
    {
        var semantics = saved.Semantics;
        if (semantics.OutputExt is not (".nii.gz" or ".nii"))
        {
            return $"{saved.Saver} writes '{semantics.OutputExt}' files (its output_ext), and the code reads the NIfTI (.nii.gz or .nii) named after the input; save NIfTI";
        }

        if (new[] { "output_name_formatter", "folder_layout" }.FirstOrDefault(saved.SaverSpec.Args.ContainsKey) is { } unjudged)
        {
            return $"{saved.Saver} names its file with {unjudged}, so whether the file is named after the input (as the code looks for it) cannot be told; leave {unjudged} out";
        }

        return null;
    }

    /// <summary>
    /// Why the smoke run cannot judge a package of this kind (it then fails, never passes): a task it has no bundle
    /// interface code for, or a classifier the code hands PNG pictures of the instances, which MdaiClara does not make.
    /// </summary>
    private static string? Unjudged(string task, JsonObject? settings)
    {
        if (task is not ("segmentation" or "classification"))
        {
            return $"the package is a {task} bundle package, which MdaiClara cannot smoke-run; a package nobody ran is not delivered (MD.ai would be the first to run it)";
        }

        return task == "classification" && settings?["classification"]?["input"]?.GetValue<string>() == "png"
            ? "the packaged code hands this classifier each instance as a PNG of its stored pixels (its LoadImaged reads with PILReader), which MdaiClara's smoke run does not make, so it cannot judge what the bundle would see; a package nobody ran is not delivered. Run the package once against a real MONAI (the README says how), or let LoadImaged read DICOM"
            : null;
    }

    private static Dictionary<int, int>? LabelMap(JsonObject? settings) =>
        settings?["label_to_class_index"] is JsonObject map
            ? map.ToDictionary(p => int.Parse(p.Key, CultureInfo.InvariantCulture), p => p.Value!.GetValue<int>())
            : null;

    private static MdaiClaraException Unreadable(string why) =>
        new($"The package cannot be smoke-run: {why}; regenerate it.", ErrorIds.MdaiOutputUnavailable, ErrorKind.InvalidData, why);
}
