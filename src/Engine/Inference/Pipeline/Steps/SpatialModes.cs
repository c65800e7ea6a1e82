using MdaiClara.Engine.Inference.Spatial;
using MdaiClara.Engine.Inference.Transforms;

namespace MdaiClara.Engine.Inference.Pipeline.Steps;

/// <summary>MONAI's mode and padding_mode strings (and the spline orders 0/1 1.x also takes) → ours.</summary>
public static class SpatialModes
{
    public static Interpolation Interpolation(string component, string argument, string? value, Interpolation fallback) => value?.Trim().ToLowerInvariant() switch
    {
        null => fallback,
        "nearest" or "0" => Spatial.Interpolation.Nearest,
        "nearest-exact" => Spatial.Interpolation.NearestExact,
        "bilinear" or "1" => Spatial.Interpolation.Bilinear,
        "linear" => Spatial.Interpolation.Linear,
        "trilinear" => Spatial.Interpolation.Trilinear,
        "bicubic" or "3" => Spatial.Interpolation.Bicubic,
        "area" => Spatial.Interpolation.Area,
        _ => throw TransformErrors.Argument(component, argument, $"is '{value}', which is not an interpolation mode MdaiClara implements (nearest, nearest-exact, linear, bilinear, bicubic, trilinear, area)"),
    };

    public static GridPaddingMode Padding(string component, string argument, string? value, GridPaddingMode fallback) => value?.Trim().ToLowerInvariant() switch
    {
        null => fallback,
        "zeros" or "constant" => GridPaddingMode.Zeros,
        "border" or "edge" => GridPaddingMode.Border,
        "reflection" or "reflect" => GridPaddingMode.Reflection,
        _ => throw TransformErrors.Argument(component, argument, $"is '{value}', which is not a padding mode grid sampling has (zeros, border, reflection)"),
    };
}
