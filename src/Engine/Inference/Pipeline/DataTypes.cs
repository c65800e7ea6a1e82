using MdaiClara.Engine.Inference.Transforms;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>Dtype names as configs write them (numpy, torch or plain: "np.float32", "torch.uint8", "float") → torch types.</summary>
public static class DataTypes
{
    public static ScalarType Parse(string component, string argument, string name)
    {
        var n = name.Trim();
        foreach (var prefix in new[] { "np.", "numpy.", "torch." })
        {
            if (n.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                n = n[prefix.Length..];
            }
        }

        return n switch
        {
            "float32" or "float" or "single" => ScalarType.Float32,
            "float64" or "double" => ScalarType.Float64,
            "float16" or "half" => ScalarType.Float16,
            "uint8" => ScalarType.Byte,
            "int8" => ScalarType.Int8,
            "int16" or "short" => ScalarType.Int16,
            "int32" or "int" => ScalarType.Int32,
            "int64" or "long" => ScalarType.Int64,
            "bool" => ScalarType.Bool,
            _ => throw TransformErrors.Argument(component, argument, $"is '{name}', which is not a dtype MdaiClara knows (float32, float64, float16, uint8, int8, int16, int32, int64, bool)"),
        };
    }
}
