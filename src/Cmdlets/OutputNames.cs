using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;

namespace MdaiClara.Cmdlets;

/// <summary>The header values a -NameTemplate can use, for one DICOM series.</summary>
public sealed record SeriesNameFields(string? PatientId, string? StudyDate, int? SeriesNumber, string? SeriesDescription, string SeriesInstanceUid, string StudyInstanceUid, string? Modality)
{
    public static SeriesNameFields From(DicomSeriesGeometry dicom, string? modality) =>
        new(dicom.PatientId, dicom.StudyDate, dicom.SeriesNumber, dicom.SeriesDescription, dicom.SeriesInstanceUid, dicom.StudyInstanceUid, modality);

    public static SeriesNameFields From(DicomSeriesFiles series)
    {
        var first = series.Instances[0];
        return new(first.PatientId, first.StudyDate, first.SeriesNumber, first.SeriesDescription, series.SeriesInstanceUid, first.StudyInstanceUid, series.Modality);
    }
}

/// <summary>
/// Output file names: DICOM series are named by a template of header fields (the SeriesInstanceUID by default, so no
/// patient identifier reaches a file name unless asked for), and every name is made safe for Windows and Linux file
/// systems alike.
/// </summary>
public static partial class OutputNames
{
    /// <summary>The default: the SeriesInstanceUID (no patient identifier in file names).</summary>
    public const string DefaultTemplate = "{SeriesInstanceUID}";

    /// <summary>The fields a template may use (DICOM keywords, as people know them).</summary>
    public static readonly IReadOnlyList<string> Fields = new[] { "PatientID", "StudyDate", "SeriesNumber", "SeriesDescription", "SeriesInstanceUID", "StudyInstanceUID", "Modality" };

    private static readonly HashSet<string> ReservedWindowsNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private const int MaxLength = 150;

    /// <summary>Null when the template is usable, else what is wrong with it.</summary>
    public static string? Problem(string template)
    {
        var tokens = Token().Matches(template).Select(m => m.Groups["name"].Value).ToList();
        var unknown = tokens.Where(t => !Fields.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            return $"{string.Join(", ", unknown.Select(u => "{" + u + "}"))} is not a field it knows. Use {string.Join(", ", Fields.Select(f => "{" + f + "}"))}.";
        }

        var rest = Token().Replace(template, string.Empty);
        if (rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal))
        {
            return "it has a brace that does not enclose a field name, as in '{PatientID}_{SeriesNumber}'.";
        }

        return tokens.Count == 0 ? "it names no field, so every series would get the same name." : null;
    }

    /// <summary>The template filled in and made safe; the SeriesInstanceUID when the result would be empty.</summary>
    public static string Apply(string template, SeriesNameFields fields)
    {
        // Spaces inside a value (a SeriesDescription such as "CT Abdomen 5 mm") become '_' too: names stay one word in scripts.
        var filled = Token().Replace(template, m => WhiteSpace().Replace(Value(m.Groups["name"].Value, fields)?.Trim() ?? string.Empty, "_"));
        var safe = Sanitize(filled);
        return safe.Trim('_').Length > 0 ? safe : Sanitize(fields.SeriesInstanceUid);
    }

    /// <summary>
    /// A name safe as a file name stem everywhere: path separators, characters Windows refuses (&lt;&gt;:"|?*) and control
    /// characters become '_'; trailing dots and spaces go; Windows device names (CON, NUL, COM1…) get
    /// a leading '_'; at most 150 characters.
    /// </summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(c is '/' or '\\' or '<' or '>' or ':' or '"' or '|' or '?' or '*' || char.IsControl(c) ? '_' : c);
        }

        var safe = builder.ToString().TrimEnd('.', ' ');
        if (safe.Length > MaxLength)
        {
            safe = safe[..MaxLength];
        }

        if (safe is "" or "." or "..")
        {
            return "input";
        }

        var stem = safe.Split('.')[0];
        return ReservedWindowsNames.Contains(stem) ? "_" + safe : safe;
    }

    private static string? Value(string field, SeriesNameFields f) => field.ToUpperInvariant() switch
    {
        "PATIENTID" => f.PatientId,
        "STUDYDATE" => f.StudyDate,
        "SERIESNUMBER" => f.SeriesNumber?.ToString(CultureInfo.InvariantCulture),
        "SERIESDESCRIPTION" => f.SeriesDescription,
        "SERIESINSTANCEUID" => f.SeriesInstanceUid,
        "STUDYINSTANCEUID" => f.StudyInstanceUid,
        "MODALITY" => f.Modality,
        _ => null,
    };

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
