using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Configs;

/// <summary>The dataset section of an inference config: where the datalist is and which key it reads.</summary>
public sealed record DatasetSpec(string? DataListFilePath, string? DataFileBaseDir, string? DataListKey, string? DataListKeyRaw);

/// <summary>
/// The inference pipeline a model config prescribes (an MMAR's config_inference.json, a bundle's inference.json): pre-transforms, inferer and post-transforms with their
/// arguments, the model entries and the handlers (Clara 4.0 saves and inverts through handlers).
/// </summary>
public sealed record InferenceConfig(
    string File,
    string SelectedBecause,
    IReadOnlyList<ComponentSpec> PreTransforms,
    ComponentSpec? Inferer,
    IReadOnlyList<ComponentSpec> PostTransforms,
    IReadOnlyList<ComponentSpec> Handlers,
    IReadOnlyList<ModelReference> Models,
    DatasetSpec? Dataset,
    bool? Amp)
{
    /// <summary>The first model entry that is not disabled: the one Clara loads.</summary>
    public ModelReference? ActiveModel => Models.FirstOrDefault(m => !m.Disabled);

    public override string ToString() =>
        $"{File}: {PreTransforms.Count} pre-transforms, {Inferer?.Name ?? "no inferer"}, {PostTransforms.Count} post-transforms";
}
