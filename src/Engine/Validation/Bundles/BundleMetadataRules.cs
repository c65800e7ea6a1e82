using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;

namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>
/// configs/metadata.json against the fields of MONAI's bundle metadata schema that MdaiClara and MONAI's tools read:
/// present, and of the right JSON type; monai_version one whose semantics MdaiClara knows.
/// </summary>
internal static class BundleMetadataRules
{
    /// <summary>Schema fields: path, expected kind, and whether its absence is an error (MdaiClara needs it) or a warning.</summary>
    private static readonly (string Path, ConfigNodeKind Kind, FindingSeverity Missing)[] Fields =
    {
        ("version", ConfigNodeKind.String, FindingSeverity.Error),
        ("monai_version", ConfigNodeKind.String, FindingSeverity.Error),
        ("pytorch_version", ConfigNodeKind.String, FindingSeverity.Warning),
        ("numpy_version", ConfigNodeKind.String, FindingSeverity.Warning),
        ("optional_packages_version", ConfigNodeKind.Object, FindingSeverity.Warning),
        ("name", ConfigNodeKind.String, FindingSeverity.Information),
        ("task", ConfigNodeKind.String, FindingSeverity.Warning),
        ("description", ConfigNodeKind.String, FindingSeverity.Warning),
        ("authors", ConfigNodeKind.String, FindingSeverity.Warning),
        ("copyright", ConfigNodeKind.String, FindingSeverity.Warning),
        ("network_data_format", ConfigNodeKind.Object, FindingSeverity.Error),
        ("network_data_format.inputs", ConfigNodeKind.Object, FindingSeverity.Error),
        ("network_data_format.outputs", ConfigNodeKind.Object, FindingSeverity.Error),
    };

    public static IEnumerable<BundleFinding> Check(BundleAnalysis analysis)
    {
        if (analysis.MetadataFile?.Root is not { IsObject: true } root)
        {
            yield break;
        }

        var file = analysis.MetadataFile.RelativePath;
        foreach (var (path, kind, missing) in Fields)
        {
            var node = Find(root, path);
            if (node is null)
            {
                if (path.Contains('.', System.StringComparison.Ordinal) && Find(root, path[..path.LastIndexOf('.')]) is null)
                {
                    continue; // the parent's absence is already reported
                }

                yield return new BundleFinding(BundleRuleIds.MetadataField, missing,
                    $"{file} has no \"{path}\" ({Kind(kind)}), which MONAI's metadata schema asks for{(missing == FindingSeverity.Error ? " and MdaiClara reads" : string.Empty)}.", file);
            }
            else if (node.Kind != kind)
            {
                yield return Wrong(file, path, node, kind);
            }
        }

        foreach (var section in new[] { "inputs", "outputs" })
        {
            foreach (var (key, item) in Find(root, $"network_data_format.{section}")?.Entries ?? new List<KeyValuePair<string, ConfigNode>>())
            {
                var prefix = $"network_data_format.{section}.{key}";
                foreach (var (field, expected) in new[] { ("num_channels", ConfigNodeKind.Integer), ("spatial_shape", ConfigNodeKind.List), ("channel_def", ConfigNodeKind.Object), ("type", ConfigNodeKind.String), ("format", ConfigNodeKind.String) })
                {
                    var node = item.Get(field);
                    if (node is null)
                    {
                        yield return new BundleFinding(BundleRuleIds.MetadataField, field == "num_channels" ? FindingSeverity.Error : FindingSeverity.Warning,
                            $"{file} has no \"{prefix}.{field}\" ({Kind(expected)}).", file, item.Position.Line, item.Position.Column);
                    }
                    else if (node.Kind != expected)
                    {
                        yield return Wrong(file, $"{prefix}.{field}", node, expected);
                    }
                }
            }
        }

        if (analysis.Info.MonaiVersion is { } monai)
        {
            var at = root.Get("monai_version")!.Position;
            BundleFinding? problem = null;
            try
            {
                MonaiSemanticsVersions.Parse(monai);
            }
            catch (MdaiClaraException ex)
            {
                problem = new BundleFinding(BundleRuleIds.MonaiVersion, FindingSeverity.Error, ex.Message, file, at.Line, at.Column);
            }

            if (problem is not null)
            {
                yield return problem;
            }
        }
    }

    private static ConfigNode? Find(ConfigNode root, string path) =>
        path.Split('.').Aggregate((ConfigNode?)root, (n, part) => n?.Get(part));

    private static BundleFinding Wrong(string file, string path, ConfigNode node, ConfigNodeKind expected) =>
        new(BundleRuleIds.MetadataField, FindingSeverity.Error,
            $"{file}: \"{path}\" is {Kind(node.Kind)} ({BundleValues.Display(node.Scalar ?? node.ToString())}), but MONAI's metadata schema wants {Kind(expected)}.",
            file, node.Position.Line, node.Position.Column);

    private static string Kind(ConfigNodeKind kind) => kind switch
    {
        ConfigNodeKind.Object => "an object",
        ConfigNodeKind.List => "a list",
        ConfigNodeKind.String => "a string",
        ConfigNodeKind.Integer => "an integer",
        ConfigNodeKind.Float => "a number",
        ConfigNodeKind.Boolean => "true or false",
        _ => "null",
    };
}
