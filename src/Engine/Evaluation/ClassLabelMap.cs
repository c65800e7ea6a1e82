using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Evaluation;

/// <summary>The default map from MD.ai labels to a model's classes: each class whose name a label has (case-insensitive).</summary>
internal static class ClassLabelMap
{
    /// <param name="labels">The MD.ai labels that can be truth for this model (drawn labels, or global labels).</param>
    /// <param name="model">The model whose class names are matched.</param>
    /// <param name="firstClass">The first class index that can be truth (1 for a segmentation model: 0 is background).</param>
    /// <param name="kind">How the labels are named in the message ("MD.ai label", "global MD.ai label").</param>
    /// <param name="file">The export, named in the message.</param>
    public static IReadOnlyDictionary<string, int> ByClassName(IReadOnlyList<MdaiLabel> labels, RunnableModel model, int firstClass, string kind, string file)
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var k = firstClass; k < model.ClassNames.Count; k++)
        {
            if (labels.FirstOrDefault(l => string.Equals(l.Name, model.ClassNames[k], StringComparison.OrdinalIgnoreCase)) is { } label)
            {
                map[label.Name] = k;
            }
        }

        if (map.Count == 0)
        {
            throw new MdaiClaraException(
                $"No {kind} of {file} ({string.Join(", ", labels.Select(l => $"'{l.Name}'"))}) is named as a class of {model.Name} ({string.Join(", ", model.ClassNames.Skip(firstClass).Select(n => $"'{n}'"))}); say which label is which class.",
                ErrorIds.DataListInvalid, ErrorKind.InvalidArgument, file);
        }

        return map;
    }
}
