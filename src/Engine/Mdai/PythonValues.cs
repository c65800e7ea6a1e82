using System;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// Reads a System.Text.Json node as the Python value it stands for: its type (<see cref="PythonType"/>) and, for
/// scalars, its value. Works for parsed nodes (the JSON text decides int or float, as in Python's json module) and for
/// nodes made from CLR values (the CLR type decides: double is float, long is int, bool is bool).
/// </summary>
internal static class PythonValues
{
    public static PythonType TypeOf(JsonNode? node) => node switch
    {
        null => PythonType.None,
        JsonArray => PythonType.List,
        JsonObject => PythonType.Dict,
        JsonValue value => TypeOfValue(value),
        _ => PythonType.Other,
    };

    /// <summary>Python's <c>type(v) in [int, float]</c>: a number, but not a bool.</summary>
    public static bool IsIntOrFloat(PythonType type) => type is PythonType.Int or PythonType.Float;

    /// <summary>Python's <c>isinstance(v, int)</c>, which bool passes (bool is a subclass of int).</summary>
    public static bool IsInstanceOfInt(PythonType type) => type is PythonType.Int or PythonType.Bool;

    /// <summary>Python truthiness (<c>if not v</c>) for the values a validator looks at.</summary>
    public static bool IsFalsy(JsonNode? node) => TypeOf(node) switch
    {
        PythonType.None => true,
        PythonType.Bool => !GetBool(node!),
        PythonType.Int or PythonType.Float => TryGetDouble(node, out var d) && d == 0,
        PythonType.Str => GetString(node!).Length == 0,
        PythonType.Bytes => ((JsonValue)node!).TryGetValue<byte[]>(out var b) && b.Length == 0,
        PythonType.List => ((JsonArray)node!).Count == 0,
        PythonType.Dict => ((JsonObject)node!).Count == 0,
        _ => false,
    };

    public static bool TryGetString(JsonNode? node, out string text)
    {
        text = string.Empty;
        if (TypeOf(node) != PythonType.Str)
        {
            return false;
        }

        text = GetString(node!);
        return true;
    }

    public static string GetString(JsonNode node)
    {
        var value = (JsonValue)node;
        if (value.TryGetValue<string>(out var s))
        {
            return s;
        }

        if (value.TryGetValue<char>(out var c))
        {
            return c.ToString();
        }

        return value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : value.ToJsonString().Trim('"');
    }

    public static bool GetBool(JsonNode node)
    {
        var value = (JsonValue)node;
        if (value.TryGetValue<bool>(out var b))
        {
            return b;
        }

        return value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.True;
    }

    /// <summary>The value of an int or float node as a double (ints beyond 2^53 lose precision, which is fine for range checks).</summary>
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || !IsIntOrFloat(TypeOf(node)))
        {
            return false;
        }

        if (v.TryGetValue<object>(out var o) && o is not JsonElement)
        {
            value = o switch
            {
                BigInteger big => (double)big,
                Half half => (double)half,
                IConvertible convertible => convertible.ToDouble(CultureInfo.InvariantCulture),
                _ => double.NaN,
            };
            return true;
        }

        value = double.Parse(RawNumberText(v), NumberStyles.Float, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The value of an int node as a BigInteger (Python ints have no size limit).</summary>
    public static BigInteger GetInteger(JsonNode node)
    {
        var v = (JsonValue)node;
        if (v.TryGetValue<object>(out var o) && o is not JsonElement)
        {
            return o switch
            {
                BigInteger big => big,
                ulong u => u,
                decimal m => new BigInteger(m),
                IConvertible convertible => convertible.ToInt64(CultureInfo.InvariantCulture),
                _ => BigInteger.Zero,
            };
        }

        return BigInteger.Parse(RawNumberText(v), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>The value of a float node as a double (NaN and infinities included).</summary>
    public static double GetFloat(JsonNode node) => TryGetDouble(node, out var d) ? d : double.NaN;

    private static PythonType TypeOfValue(JsonValue value)
    {
        // A parsed node wraps a JsonElement; a node made from a CLR value wraps that value. Ask for the wrapped
        // object first: on some runtimes a JsonElement is what comes back, and then the JSON text decides.
        if (value.TryGetValue<object>(out var wrapped))
        {
            return wrapped is JsonElement element ? TypeOfElement(element) : TypeOfClr(wrapped);
        }

        return value.TryGetValue<JsonElement>(out var e) ? TypeOfElement(e) : PythonType.Other;
    }

    // A CLR value with no Python counterpart (Guid, DateTime, a struct) is Other: Python would see some other object.
    private static PythonType TypeOfClr(object wrapped) => wrapped switch
    {
        string or char => PythonType.Str,
        bool => PythonType.Bool,
        byte[] => PythonType.Bytes,
        sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger => PythonType.Int,
        float or double or Half => PythonType.Float,
        decimal m => DecimalScale(m) == 0 ? PythonType.Int : PythonType.Float,
        _ => PythonType.Other,
    };

    private static PythonType TypeOfElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => PythonType.None,
        JsonValueKind.True or JsonValueKind.False => PythonType.Bool,
        JsonValueKind.String => PythonType.Str,
        // TryGetInt64 takes only plain integer text, and spares reading the text of every mask value.
        JsonValueKind.Number => element.TryGetInt64(out _) || !IsFloatText(element.GetRawText()) ? PythonType.Int : PythonType.Float,
        _ => PythonType.Other,
    };

    private static string RawNumberText(JsonValue v) =>
        v.TryGetValue<JsonElement>(out var e) ? e.GetRawText() : v.ToJsonString();

    /// <summary>Python's json module makes a float of any number with a fraction or an exponent.</summary>
    private static bool IsFloatText(string raw) => raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0;

    private static int DecimalScale(decimal m) => (decimal.GetBits(m)[3] >> 16) & 0xFF;
}
