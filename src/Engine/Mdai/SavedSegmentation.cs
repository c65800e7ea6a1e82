using System.Text.Json;
using System.Text.Json.Serialization;

namespace MdaiClara.Engine.Mdai;

/// <summary>What a segmentation MMAR's post-transforms hand its saver, and so what the saved file holds per voxel.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SavedContent>))]
public enum SavedContent
{
    /// <summary>One label value per voxel (argmax without one-hot, a thresholded single channel, a label map).</summary>
    Labels,

    /// <summary>One channel per class, exactly one of them 1 (AsDiscreted argmax + to_onehot): the label is the channel of the maximum.</summary>
    OneHot,

    /// <summary>Scores of mutually exclusive classes (softmax, or logits) one channel per class: the label is the argmax, as AsDiscrete(argmax=True) would make it.</summary>
    Probabilities,
}

/// <summary>Where the saved file keeps its channels.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SavedChannelAxis>))]
public enum SavedChannelAxis
{
    /// <summary>(x, y, z, C): what MONAI 0.8.1's NiftiSaver writes (SaveImage(d) and SegmentationSaver alike).</summary>
    Last,

    /// <summary>(C, x, y, z): no saver of MONAI 0.8.1 writes this; the interface code reads it for savers that do.</summary>
    First,
}

/// <summary>
/// The file a segmentation MMAR's saver writes, as the generated interface code reads it (mdai_clara.json's
/// "saved_output", read by mdai_clara_output.py; the smoke run applies the same rules, <see cref="SavedSegmentationReader"/>).
/// </summary>
public sealed record SavedSegmentationOutput
{
    [JsonPropertyName("content")]
    public required SavedContent Content { get; init; }

    /// <summary>The channels the saver gets: 1 for labels; the class count for one-hot or probabilities (null: unknown, any count is taken).</summary>
    [JsonPropertyName("channels")]
    public int? Channels { get; init; }

    [JsonPropertyName("channel_axis")]
    public SavedChannelAxis ChannelAxis { get; init; } = SavedChannelAxis.Last;

    /// <summary>In words, for records and messages: "a one-hot volume of 2 classes, channels last".</summary>
    public string Describe() => Content switch
    {
        SavedContent.Labels => "a label map (one value per voxel)",
        SavedContent.OneHot => $"a one-hot volume of {ChannelCount} classes, channels {ChannelAxis.ToString().ToLowerInvariant()}",
        _ => $"probabilities of {ChannelCount} classes, channels {ChannelAxis.ToString().ToLowerInvariant()}",
    };

    private string ChannelCount => Channels?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "N";
}

/// <summary>Enum values as the interface code spells them: "one_hot", "last".</summary>
public sealed class SnakeCaseEnumConverter<T> : JsonStringEnumConverter<T>
    where T : struct, System.Enum
{
    public SnakeCaseEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    {
    }
}
