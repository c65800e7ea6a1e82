using System;
using System.Globalization;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Networking;

/// <summary>
/// A DICOM date range as queries carry it (PS3.4 C.2.2.2.5): <c>20261201</c> (that day), <c>20261201-</c> (from),
/// <c>-20261231</c> (until), <c>20261201-20261231</c> (between, inclusive).
/// </summary>
public sealed record DicomDateRange(DateOnly? From, DateOnly? To)
{
    public static DicomDateRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        DateOnly? from, to;
        if (dash < 0)
        {
            from = to = ParseDate(value, text);
        }
        else
        {
            if (value.IndexOf('-', dash + 1) >= 0 || value.Length == 1)
            {
                throw Invalid(text, "it has more than one '-' or no date at all");
            }

            from = dash == 0 ? null : ParseDate(value[..dash], text);
            to = dash == value.Length - 1 ? null : ParseDate(value[(dash + 1)..], text);
        }

        if (from > to)
        {
            throw Invalid(text, "its start is after its end");
        }

        return new DicomDateRange(from, to);
    }

    /// <summary>The DICOM form: YYYYMMDD, YYYYMMDD-, -YYYYMMDD or YYYYMMDD-YYYYMMDD.</summary>
    public override string ToString() => From == To && From is { } day
        ? Format(day)
        : $"{(From is { } f ? Format(f) : string.Empty)}-{(To is { } t ? Format(t) : string.Empty)}";

    private static string Format(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string part, string whole)
    {
        if (DateOnly.TryParseExact(part, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        throw Invalid(whole, $"'{part}' is not a date written YYYYMMDD");
    }

    private static MdaiClaraException Invalid(string text, string why) => new(
        $"The study date range '{text}' cannot be used: {why}. Write YYYYMMDD (one day), YYYYMMDD- (from), -YYYYMMDD (until) or YYYYMMDD-YYYYMMDD.",
        ErrorIds.DicomQueryInvalid, ErrorKind.InvalidArgument, text);
}
