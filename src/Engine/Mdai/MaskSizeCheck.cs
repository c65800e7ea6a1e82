using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// A mask must be Rows × Columns of the instance it belongs to (MD.ai draws it over that image). MD.ai's validator
/// does not check this; these are Warnings, made only when the caller knows the instances' sizes.
/// </summary>
internal static class MaskSizeCheck
{
    public static void Check(JsonObject output, JsonArray mask, string maskAt, string outputAt, IReadOnlyDictionary<string, (int Rows, int Columns)> sizes, FindingCollector sink)
    {
        output.TryGetPropertyValue("instance_uid", out var uidNode);
        if (!PythonValues.TryGetString(uidNode, out var uid) || !sizes.TryGetValue(uid, out var size))
        {
            var why = PythonValues.TryGetString(uidNode, out var named)
                ? $"its instance_uid {PythonRepr.String(named)} is none of the {FindingCollector.Count(sizes.Count, "instance", "instances")} given"
                : "it has no instance_uid; a mask belongs to one instance, so set instance_uid (and series_uid)";
            sink.Warning(MdaiOutputRuleIds.MaskInstanceUnknown, OutputLocation.Key(outputAt, "instance_uid"), $"The mask's size cannot be checked: {why}.");
            return;
        }

        var rows = mask.Count;
        var columns = rows > 0 && mask[0] is JsonArray first ? first.Count : 0;
        if (rows == size.Rows && columns == size.Columns)
        {
            return;
        }

        var hint = rows == size.Columns && columns == size.Rows && rows != columns
            ? " It looks transposed: rows and columns are swapped (numpy's mask.T, or an (x, y) array where MD.ai wants (row, column))."
            : " Resample or crop it back to the instance's grid before returning it.";
        sink.Warning(MdaiOutputRuleIds.MaskSizeMismatch, maskAt, $"The mask is {rows}×{columns} (rows×columns), but instance {uid} is {size.Rows}×{size.Columns}.{hint}");
    }
}
