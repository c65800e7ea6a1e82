using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// Pairs images with label maps given as files or folders (NIfTI files, DICOM series): by name, a NIfTI file by its
/// stem and a DICOM series by its SeriesInstanceUID; where names differ only by a conventional suffix
/// (case_0001_ct / case_0001_seg, phantom_ct / phantom_truth) they pair too; one image and one label always pair. Each
/// image or label left without a partner is a problem naming it.
/// </summary>
public static class GroundTruthPairing
{
    private static readonly string[] ImageSuffixes = { "_ct", "_mr", "_mri", "_image", "_img", "_0000", "_volume", "_vol" };
    private static readonly string[] LabelSuffixes = { "_seg", "_segmentation", "_label", "_labels", "_truth", "_gt", "_groundtruth", "_mask", "_ref", "_reference" };

    public static GroundTruthSet Pair(IReadOnlyList<string> imagePaths, IReadOnlyList<string> labelPaths, CancellationToken cancellationToken, IEngineLog? log)
    {
        var (images, skippedImages) = InferenceInputs.FromPaths(imagePaths, cancellationToken, log);
        var (labels, skippedLabels) = InferenceInputs.FromPaths(labelPaths, cancellationToken, log);
        foreach (var skipped in skippedImages.Concat(skippedLabels))
        {
            log.Verbose($"Skipped {skipped}");
        }

        var problems = new List<MdaiClaraException>();
        var cases = new List<GroundTruthCase>();
        if (images.Count == 1 && labels.Count == 1)
        {
            cases.Add(Case(images[0], labels[0]));
            return new GroundTruthSet(cases, problems, Describe(imagePaths, labelPaths));
        }

        var unpairedLabels = labels.ToList();
        foreach (var image in images)
        {
            var match = unpairedLabels.FirstOrDefault(l => string.Equals(l.Name, image.Name, StringComparison.OrdinalIgnoreCase))
                ?? unpairedLabels.FirstOrDefault(l => string.Equals(Strip(l.Name, LabelSuffixes), Strip(image.Name, ImageSuffixes), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                problems.Add(new MdaiClaraException(
                    $"The image {Describe(image)} has no label among the labels given (paired by file name stem or SeriesInstanceUID); it is not measured.",
                    ErrorIds.GroundTruthUnpaired, ErrorKind.ObjectNotFound, image.Name));
                continue;
            }

            unpairedLabels.Remove(match);
            cases.Add(Case(image, match));
        }

        problems.AddRange(unpairedLabels.Select(l => new MdaiClaraException(
            $"The label {Describe(l)} has no image among the images given (paired by file name stem or SeriesInstanceUID); it is not used.",
            ErrorIds.GroundTruthUnpaired, ErrorKind.ObjectNotFound, l.Name)));
        return new GroundTruthSet(cases, problems, Describe(imagePaths, labelPaths));
    }

    private static GroundTruthCase Case(InputSource image, InputSource label) => new()
    {
        Name = image.Name,
        Image = image,
        Label = label,
        TruthDescription = Describe(label),
    };

    private static string Strip(string name, string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static string Describe(InputSource input) =>
        input.Series is not null ? $"series {input.Name}" : input.Files.Count == 1 ? input.Files[0] : input.Name;

    private static string Describe(IReadOnlyList<string> images, IReadOnlyList<string> labels) =>
        $"images {string.Join(", ", images.Take(2))}{(images.Count > 2 ? " …" : string.Empty)} with labels {string.Join(", ", labels.Take(2))}{(labels.Count > 2 ? " …" : string.Empty)}";
}
