using System;
using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>How the engine treats a component name found in an MMAR's inference config.</summary>
public enum ComponentSupport
{
    /// <summary>The engine does not know it.</summary>
    Unknown,

    /// <summary>A transform or inferer of the engine's MONAI-faithful pipeline.</summary>
    Supported,

    /// <summary>Known, and irrelevant to inference results (logging, metrics, checkpoint loading).</summary>
    Ignored,
}

/// <summary>
/// The MONAI component names the engine's pipeline implements (array and dictionary forms), and the ones it knows
/// to have no effect on results. Names are matched after <see cref="Configs.ComponentSpec.Canonicalize"/>.
/// </summary>
public static class TransformCatalog
{
    private static readonly string[] TransformBases =
    {
        "LoadImage", "AddChannel", "EnsureChannelFirst", "Spacing", "Orientation", "ScaleIntensityRange", "ScaleIntensity",
        "NormalizeIntensity", "CropForeground", "SpatialPad", "Resize", "ToTensor", "EnsureType", "CastToType",
        "Activations", "AsDiscrete", "KeepLargestConnectedComponent", "Invert", "SaveImage",
    };

    private static readonly HashSet<string> Transforms = new(
        TransformBases.SelectMany(b => new[] { b, b + "d" }),
        StringComparer.Ordinal);

    private static readonly HashSet<string> Inferers = new(StringComparer.Ordinal) { "SimpleInferer", "SlidingWindowInferer" };

    /// <summary>Clara 4.0 saves and inverts through handlers; these two change what is written.</summary>
    private static readonly HashSet<string> OutputHandlers = new(StringComparer.Ordinal) { "SegmentationSaver", "TransformInverter" };

    private static readonly HashSet<string> IgnoredHandlers = new(StringComparer.Ordinal)
    {
        "StatsHandler", "CheckpointLoader", "MetricsSaver", "TensorBoardStatsHandler", "TensorBoardImageHandler", "ValidationHandler",
        "LrScheduleHandler", "CheckpointSaver", "EarlyStopHandler", "MLFlowHandler", "MetricLogger", "IgnitePrintLogger",
    };

    public static IReadOnlyCollection<string> SupportedTransforms => Transforms;

    public static IReadOnlyCollection<string> SupportedInferers => Inferers;

    /// <summary>
    /// The array transform a name stands for: "Spacingd" → "Spacing". Only a trailing "d" that makes a dictionary form
    /// is dropped ("CropForeground" and "SpatialPad" are array names that happen to end in d).
    /// </summary>
    public static string BaseName(string canonicalName) => IsDictionaryForm(canonicalName) ? canonicalName[..^1] : canonicalName;

    /// <summary>True for the dictionary form of a supported transform ("CropForegroundd", not "CropForeground").</summary>
    public static bool IsDictionaryForm(string canonicalName) =>
        canonicalName.Length > 1 && canonicalName.EndsWith('d') && TransformBases.Contains(canonicalName[..^1], StringComparer.Ordinal);

    public static ComponentSupport Transform(string canonicalName) =>
        Transforms.Contains(canonicalName) ? ComponentSupport.Supported : ComponentSupport.Unknown;

    public static ComponentSupport Inferer(string canonicalName) =>
        Inferers.Contains(canonicalName) ? ComponentSupport.Supported : ComponentSupport.Unknown;

    public static ComponentSupport Handler(string canonicalName) =>
        OutputHandlers.Contains(canonicalName) ? ComponentSupport.Supported
        : IgnoredHandlers.Contains(canonicalName) ? ComponentSupport.Ignored
        : ComponentSupport.Unknown;
}
