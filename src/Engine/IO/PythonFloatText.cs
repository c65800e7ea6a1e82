using System;
using System.Globalization;

namespace MdaiClara.Engine.IO;

/// <summary>
/// Floats as Python prints them: <c>repr(float)</c>/<c>str(float)</c> (the shortest digits that round-trip a float64)
/// and NumPy's <c>str(np.float32)</c> (the shortest digits of a float32). .NET's "R" gives the same digits; only the
/// layout differs: positional from 1e-4 up to 1e16 (with ".0" on integers), scientific (<c>1e-05</c>, <c>1.5e+16</c>)
/// outside, and nan/inf/-inf/-0.0 as Python writes them.
/// </summary>
internal static class PythonFloatText
{
    /// <summary>Python's <c>repr(x)</c> (equal to <c>str(x)</c>) of a float64.</summary>
    public static string Float64(double value) => Shortest(value, Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));

    /// <summary>NumPy's <c>str(np.float32(x))</c>.</summary>
    public static string Float32(float value) => Shortest(value, Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));

    private static string Shortest(double value, string text)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var exponent = 0;
        var e = text.IndexOfAny(new[] { 'E', 'e' });
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.');
        var integerPart = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        var digits = integerPart + fraction;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');

        // value = 0.<digits> × 10^decimalPoint.
        var decimalPoint = integerPart.Length - leadingZeros + exponent;
        var sign = value < 0 ? "-" : string.Empty;
        if (decimalPoint <= -4 || decimalPoint > 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            var power = decimalPoint - 1;
            return sign + mantissa + "e" + (power < 0 ? "-" : "+") + Math.Abs(power).ToString("00", CultureInfo.InvariantCulture);
        }

        if (decimalPoint <= 0)
        {
            return sign + "0." + new string('0', -decimalPoint) + digits;
        }

        if (decimalPoint >= digits.Length)
        {
            return sign + digits + new string('0', decimalPoint - digits.Length) + ".0";
        }

        return sign + digits[..decimalPoint] + "." + digits[decimalPoint..];
    }
}
