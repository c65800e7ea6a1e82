using System.Collections.Generic;
using System.Text.Json.Serialization;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// What the generated interface code (.mdai/mdai_deploy.py) needs to know about the MMAR it serves, written beside it as
/// .mdai/mdai_clara.json: where the MMAR sits in MD.ai's /workspace, which datalist to point at the input, where the
/// MMAR writes its result, and how labels become MD.ai class indexes. The Python side reads exactly these keys
/// (src/Engine/Mdai/Templates/README.md).
/// </summary>
public sealed record MdaiDeploySettings
{
    [JsonPropertyName("generator")]
    public required string Generator { get; init; }

    /// <summary>"segmentation" or "classification".</summary>
    [JsonPropertyName("task")]
    public required string Task { get; init; }

    /// <summary>"4.1.0" (the MMAR is /workspace) or "4.0" (the MMAR is /workspace/&lt;folder&gt;, beside config_mdai.json).</summary>
    [JsonPropertyName("clara_version")]
    public required string ClaraVersion { get; init; }

    /// <summary>The MMAR's folder relative to the workspace: "." or the folder name.</summary>
    [JsonPropertyName("mmar_root")]
    public required string MmarRoot { get; init; }

    [JsonPropertyName("environment_json")]
    public required string EnvironmentJson { get; init; }

    [JsonPropertyName("inference_config")]
    public required string InferenceConfig { get; init; }

    /// <summary>The dataset JSON relative to the MMAR root.</summary>
    [JsonPropertyName("dataset_json")]
    public required string DatasetJson { get; init; }

    [JsonPropertyName("datalist_key")]
    public required string DatalistKey { get; init; }

    /// <summary>
    /// How one datalist entry looks: "path" (a bare string), "image" ({"image": p}) or "image_label" ({"image": p, "label": null}).
    /// Always "path" for the key "test", which MONAI's load_decathlon_datalist wraps as {"image": item} itself.
    /// </summary>
    [JsonPropertyName("datalist_entry")]
    public required string DatalistEntry { get; init; }

    /// <summary>The postfix SaveImage(d) / SegmentationSaver gives the result: &lt;stem&gt;_&lt;postfix&gt;&lt;ext&gt;.</summary>
    [JsonPropertyName("output_postfix")]
    public string? OutputPostfix { get; init; }

    [JsonPropertyName("output_ext")]
    public string? OutputExt { get; init; }

    /// <summary>True when the result goes into &lt;eval&gt;/&lt;stem&gt;/ (MONAI's default).</summary>
    [JsonPropertyName("separate_folder")]
    public bool? SeparateFolder { get; init; }

    /// <summary>Segmentation: what the saver writes (label map, one-hot, probabilities; channel layout), as the interface code reads it.</summary>
    [JsonPropertyName("saved_output")]
    public SavedSegmentationOutput? SavedOutput { get; init; }

    /// <summary>Segmentation: label value → MD.ai class_index (label − 1 unless the user gave a map).</summary>
    [JsonPropertyName("label_to_class_index")]
    public IReadOnlyDictionary<string, int>? LabelToClassIndex { get; init; }

    [JsonPropertyName("class_names")]
    public IReadOnlyList<string>? ClassNames { get; init; }

    [JsonPropertyName("classification")]
    public MdaiClassificationSettings? Classification { get; init; }
}

/// <summary>Where a classifier's result is and how it becomes MD.ai annotations.</summary>
public sealed record MdaiClassificationSettings
{
    /// <summary>The CSV the MMAR's ClassificationSaver writes under its output folder.</summary>
    [JsonPropertyName("csv")]
    public required string Csv { get; init; }

    /// <summary>Sigmoid outputs: one annotation per class over the threshold. Softmax: one annotation, the argmax.</summary>
    [JsonPropertyName("multi_label")]
    public required bool MultiLabel { get; init; }

    [JsonPropertyName("threshold")]
    public required double Threshold { get; init; }
}
