using System;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Inference;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// How a SaveImage(d) (or Clara 4.0's SegmentationSaver) writes its file, from its arguments with the defaults of the
/// MONAI version that runs it (MONAI 0.8.1: resample true; 1.x: resample false; both: float32, squeeze_end_dims true,
/// separate_folder true, postfix "trans", ".nii.gz", nearest). What the packaged interface code will read depends on
/// these; <see cref="PackagedSaverOutput"/> applies them to the data the saver is handed.
/// </summary>
public sealed record SaverSemantics
{
    public required ScalarType OutputDtype { get; init; }

    /// <summary>The output_dtype as the config names it ("uint8"), for messages.</summary>
    public required string OutputDtypeName { get; init; }

    public required bool Resample { get; init; }

    /// <summary>The interpolation a resampling uses ("nearest").</summary>
    public required string Mode { get; init; }

    public required bool SqueezeEndDims { get; init; }

    public required bool SeparateFolder { get; init; }

    public required string OutputPostfix { get; init; }

    public required string OutputExt { get; init; }

    /// <summary>Why the saver's arguments cannot be judged (an output_dtype MdaiClara does not know), or null.</summary>
    public string? Unjudgeable { get; init; }

    public bool IntegerOutput => OutputDtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Bool;

    /// <summary>Reads a saver's arguments; <paramref name="defaultPostfix"/> is what its kind writes without one ("trans", Clara 4.0's saver "seg").</summary>
    public static SaverSemantics Of(ComponentSpec saver, MonaiSemantics semantics, string defaultPostfix = "trans")
    {
        ArgumentNullException.ThrowIfNull(saver);
        var args = saver.Args;
        bool Flag(string name, bool fallback) => args.TryGetValue(name, out var v) && v is bool b ? b : fallback;
        var dtypeName = args.TryGetValue("output_dtype", out var d) && d is string s ? s : "float32";
        var dtype = Dtype(dtypeName);
        return new SaverSemantics
        {
            OutputDtype = dtype ?? ScalarType.Float32,
            OutputDtypeName = dtypeName,
            Resample = Flag("resample", semantics != MonaiSemantics.Monai1x),
            Mode = args.GetString("mode") ?? "nearest",
            SqueezeEndDims = Flag("squeeze_end_dims", true),
            SeparateFolder = Flag("separate_folder", true),
            OutputPostfix = args.GetString("output_postfix") ?? defaultPostfix,
            OutputExt = args.GetString("output_ext") ?? ".nii.gz",
            Unjudgeable = dtype is null ? $"{saver.Name}'s output_dtype '{dtypeName}' is not a numpy dtype MdaiClara knows, so what its file holds cannot be told" : null,
        };
    }

    /// <summary>The file name the saver gives an input's result: [&lt;stem&gt;/]&lt;stem&gt;_&lt;postfix&gt;&lt;ext&gt;.</summary>
    public string FileName(string stem) =>
        $"{(SeparateFolder ? stem + "/" : string.Empty)}{stem}{(OutputPostfix.Length > 0 ? "_" + OutputPostfix : string.Empty)}{OutputExt}";

    /// <summary>A numpy/torch dtype name ("uint8", "$numpy.uint8", "np.float32", "torch.int16") as a tensor type; null when unknown.</summary>
    private static ScalarType? Dtype(string name)
    {
        var bare = name.TrimStart('$');
        foreach (var prefix in new[] { "numpy.", "np.", "torch." })
        {
            if (bare.StartsWith(prefix, StringComparison.Ordinal))
            {
                bare = bare[prefix.Length..];
            }
        }

        return bare switch
        {
            "uint8" => ScalarType.Byte,
            "uint16" => ScalarType.Int32,
            "int8" => ScalarType.Int8,
            "int16" or "short" => ScalarType.Int16,
            "int32" or "int" => ScalarType.Int32,
            "int64" or "long" => ScalarType.Int64,
            "bool" or "bool_" => ScalarType.Bool,
            "float16" or "half" => ScalarType.Float16,
            "float32" or "float" => ScalarType.Float32,
            "float64" or "double" => ScalarType.Float64,
            _ => null,
        };
    }
}
