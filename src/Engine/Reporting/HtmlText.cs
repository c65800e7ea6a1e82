using System.Globalization;
using System.Net;

namespace MdaiClara.Engine.Reporting;

/// <summary>Text made safe for HTML (element content and quoted attribute values), and numbers in invariant form.</summary>
internal static class HtmlText
{
    /// <summary>Encodes &amp;, &lt;, &gt;, quotes and apostrophes, so names from files can never become markup.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A metric value with the decimals its metric takes; NaN as "NaN", infinities as ∞.</summary>
    public static string Number(double value, int decimals) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        _ => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
    };
}
