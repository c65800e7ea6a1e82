using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Pipeline;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// A MONAI/Clara datalist (the Medical Segmentation Decathlon's dataset JSON): under a key ("validation"), items with
/// an "image" and a "label" path, relative to a base folder (Clara's data_file_base_dir; MONAI's default: the
/// datalist's own folder). A label that is a number or a list of numbers is a classifier's truth.
/// </summary>
public static class DataList
{
    /// <summary>Reads the items of <paramref name="key"/>; every item whose image or label is missing is a problem naming it.</summary>
    /// <param name="json">The datalist's bytes.</param>
    /// <param name="displayPath">The datalist's path, for messages.</param>
    /// <param name="key">The key whose items to read.</param>
    /// <param name="baseDirectory">The folder relative paths are under.</param>
    /// <param name="classCount">For a classifier: how many classes a numeric label is one-hot encoded into.</param>
    public static GroundTruthSet Read(byte[] json, string displayPath, string key, string baseDirectory, int? classCount)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new MdaiClaraException($"{displayPath} is not valid JSON: {ex.Message}", ErrorIds.DataListInvalid, ErrorKind.InvalidData, displayPath, ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(key, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                var keys = document.RootElement.ValueKind == JsonValueKind.Object
                    ? string.Join(", ", document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).Select(p => $"'{p.Name}'"))
                    : "none";
                throw new MdaiClaraException(
                    $"{displayPath} has no list of items under '{key}' (its lists: {(keys.Length > 0 ? keys : "none")}).",
                    ErrorIds.DataListInvalid, ErrorKind.InvalidData, displayPath);
            }

            var cases = new List<GroundTruthCase>();
            var problems = new List<MdaiClaraException>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var where = $"{displayPath}: {key}[{index++}]";
                if (Item(item, where, baseDirectory, classCount, out var problem) is { } c)
                {
                    cases.Add(c);
                }
                else
                {
                    problems.Add(problem!);
                }
            }

            return new GroundTruthSet(cases, problems, $"'{key}' of {displayPath} ({cases.Count + problems.Count} items)");
        }
    }

    private static GroundTruthCase? Item(JsonElement item, string where, string baseDirectory, int? classCount, out MdaiClaraException? problem)
    {
        problem = null;
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.String)
        {
            problem = Missing(where, "has no \"image\" path (one file per item)", where);
            return null;
        }

        var imagePath = Resolve(image.GetString()!, baseDirectory);
        var name = InferenceInputs.Stem(imagePath);
        if (!File.Exists(imagePath) && !Directory.Exists(imagePath))
        {
            problem = Missing($"{where} ({name})", $"image {imagePath} does not exist", imagePath);
            return null;
        }

        if (!item.TryGetProperty("label", out var label))
        {
            problem = Missing($"{where} ({name})", "has no \"label\": nothing to measure the prediction against", where);
            return null;
        }

        if (label.ValueKind == JsonValueKind.String)
        {
            var labelPath = Resolve(label.GetString()!, baseDirectory);
            if (!File.Exists(labelPath) && !Directory.Exists(labelPath))
            {
                problem = Missing($"{where} ({name})", $"label {labelPath} does not exist", labelPath);
                return null;
            }

            return new GroundTruthCase { Name = name, Image = InputSource.FromFile(imagePath, name), Label = InputSource.FromFile(labelPath, InferenceInputs.Stem(labelPath)), TruthDescription = labelPath };
        }

        if (ClassTruth(label, classCount) is { } truth)
        {
            return new GroundTruthCase { Name = name, Image = InputSource.FromFile(imagePath, name), ClassTruth = truth, TruthDescription = $"classes [{string.Join(", ", truth)}]" };
        }

        problem = Missing($"{where} ({name})", $"has a \"label\" that is neither a path nor a class ({label.GetRawText()})", where);
        return null;
    }

    /// <summary>A class index (one-hot encoded) or a list of 0/1 per class.</summary>
    private static int[]? ClassTruth(JsonElement label, int? classCount)
    {
        if (label.ValueKind == JsonValueKind.Number && label.TryGetInt32(out var index) && index >= 0 && classCount is { } n && index < n)
        {
            var onehot = new int[n];
            onehot[index] = 1;
            return onehot;
        }

        if (label.ValueKind == JsonValueKind.Array)
        {
            var values = new List<int>();
            foreach (var v in label.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || (d != 0 && d != 1))
                {
                    return null;
                }

                values.Add((int)d);
            }

            return values.Count > 0 ? values.ToArray() : null;
        }

        return null;
    }

    private static string Resolve(string path, string baseDirectory) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));

    private static MdaiClaraException Missing(string what, string why, string target) =>
        new($"{what} {why}; the item is not measured.", ErrorIds.GroundTruthItemMissing, ErrorKind.ObjectNotFound, target);
}
