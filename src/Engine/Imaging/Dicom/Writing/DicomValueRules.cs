using System;
using System.Globalization;
using System.Linq;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>
/// What PS3.5 6.2 allows in a value of each text VR: the most characters per value, and the characters CS, DA, TM,
/// DS, IS, AS and UI may hold. A value that breaks them is refused with the attribute named, never written.
/// </summary>
internal static class DicomValueRules
{
    /// <summary>The most characters one value of a VR may have (0: no limit the writer checks).</summary>
    public static int MaxLength(DicomVR vr) => vr.ToString() switch
    {
        "AE" => 16,
        "AS" => 4,
        "CS" => 16,
        "DA" => 8,
        "DS" => 16,
        "DT" => 26,
        "IS" => 12,
        "LO" => 64,
        "LT" => 10240,
        "PN" => 64 * 3,
        "SH" => 16,
        "ST" => 1024,
        "TM" => 16,
        "UI" => 64,
        _ => 0,
    };

    /// <summary>Throws a DicomWriteValueInvalid error when <paramref name="value"/> is not a valid value of <paramref name="vr"/>.</summary>
    public static void Check(DicomTag tag, DicomVR vr, string value)
    {
        var max = MaxLength(vr);
        if (max > 0 && value.Length > max)
        {
            throw Invalid(tag, vr, value, $"it has {value.Length} characters; {vr} allows {max}");
        }

        var multiValued = vr != DicomVR.LT && vr != DicomVR.ST && vr != DicomVR.UT && vr != DicomVR.UR;
        if (multiValued && value.Contains('\\'))
        {
            throw Invalid(tag, vr, value, "a backslash separates values and cannot be inside one");
        }

        Func<char, bool> allowed = vr.ToString() switch
        {
            "CS" => c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or ' ' or '_',
            "DA" => char.IsAsciiDigit,
            "TM" => c => char.IsAsciiDigit(c) || c == '.',
            "DS" => c => char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E' or ' ',
            "IS" => c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ',
            "UI" => c => char.IsAsciiDigit(c) || c == '.',
            "LT" or "ST" or "UT" => c => !char.IsControl(c) || c is '\r' or '\n' or '\t' or '\f' or '\u001b',
            _ => c => !char.IsControl(c) || c == '\u001b',
        };
        foreach (var c in value)
        {
            if (!allowed(c))
            {
                throw Invalid(tag, vr, value, $"{vr} does not allow the character '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}'");
            }
        }

        if (vr == DicomVR.UI && value.Length > 0 && DicomUids.Problem(value) is { } problem)
        {
            throw Invalid(tag, vr, value, problem);
        }
    }

    /// <summary>A decimal string of at most 16 characters, as precise as that allows.</summary>
    public static string FormatDecimal(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A decimal string holds finite numbers only.");
        }

        if (value == Math.Round(value) && Math.Abs(value) < 1e15)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        for (var digits = 15; digits > 0; digits--)
        {
            var text = value.ToString("G" + digits, CultureInfo.InvariantCulture);
            if (text.Length <= 16)
            {
                return text;
            }
        }

        return value.ToString("E8", CultureInfo.InvariantCulture);
    }

    public static MdaiClaraException Invalid(DicomTag tag, DicomVR vr, string value, string why) => new(
        $"'{(value.Length > 80 ? value[..80] + "…" : value)}' cannot be written as {DicomDictionary.Keyword(tag)} {tag} ({vr}): {why}.",
        ErrorIds.DicomWriteValueInvalid, ErrorKind.InvalidArgument, tag.ToString());
}
