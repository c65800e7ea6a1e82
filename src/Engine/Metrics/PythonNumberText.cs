using System.Globalization;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Numbers as Python and NumPy print them in MONAI's report files: <c>str(float)</c> and <c>str(np.float32)</c>
/// (<see cref="PythonFloatText"/>) and <c>f"{x:.4f}"</c>.
/// </summary>
internal static class PythonNumberText
{
    /// <summary>Python's <c>str(x)</c> of a float (float64).</summary>
    public static string Float64(double value) => PythonFloatText.Float64(value);

    /// <summary>NumPy's <c>str(np.float32(x))</c>.</summary>
    public static string Float32(float value) => PythonFloatText.Float32(value);

    /// <summary>Python's <c>f"{x:.4f}"</c> (exact decimal rounding of the binary value, half to even).</summary>
    public static string Fixed4(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf")
        : value.ToString("F4", CultureInfo.InvariantCulture);
}
