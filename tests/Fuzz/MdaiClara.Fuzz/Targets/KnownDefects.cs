using System;
using System.IO;

namespace MdaiClara.Fuzz;

/// <summary>
/// Defects found before the harness existed and fixed on their own branch (issue 8, "bad input"): a campaign run with
/// MDAICLARA_FUZZ_SKIP_KNOWN=1 counts them instead of stopping on them, so the fuzzer spends its time on new ground.
/// The corpus replay test never skips them. Remove an entry once its fix is merged.
/// </summary>
public static class KnownDefects
{
    /// <summary>A short name of the known defect <paramref name="error"/> is, or null when it is not one.</summary>
    public static string? Match(FuzzTarget target, Exception error)
    {
        var stack = error.ToString();
        if (target == FuzzTarget.MmarZip && error is InvalidDataException && stack.Contains("System.IO.Compression", StringComparison.Ordinal))
        {
            return "zip-central-directory";
        }

        if (target == FuzzTarget.Dicom && error is OutOfMemoryException && stack.Contains("DicomSeriesAssembler", StringComparison.Ordinal))
        {
            return "dicom-huge-volume";
        }

        if (target == FuzzTarget.MmarConfig && error is OutOfMemoryException && stack.Contains("MmarVariables", StringComparison.Ordinal))
        {
            return "mmar-variable-expansion";
        }

        if (target == FuzzTarget.Picture && error is OutOfMemoryException && stack.Contains("StbImageSharp", StringComparison.Ordinal))
        {
            // A PNG chunk length past the file's end: StbImageSharp allocates it before reading (issue 8 names the check).
            return "picture-chunk-length";
        }

        return null;
    }
}
