using System;

namespace MdaiClara.Fuzz;

/// <summary>
/// Defects known and being fixed elsewhere: a campaign run with MDAICLARA_FUZZ_SKIP_KNOWN=1 counts them instead of
/// stopping on them, so the fuzzer spends its time on new ground. The corpus replay test never skips them. Add an entry
/// when a campaign finds a defect whose fix is pending, and remove it once the fix is merged.
/// </summary>
/// <remarks>
/// Empty: the first campaigns' known defects (zip central directory, DICOM volumes too large for their files, exponential
/// {VAR} expansion, picture structure and chunk lengths, BMP sizes, JPEG segment structure) are fixed, and their
/// reproducers in tests/fixtures/fuzz replay as MdaiClara errors.
/// </remarks>
public static class KnownDefects
{
    /// <summary>
    /// A short name of the known defect <paramref name="input"/> would hang on, or null: a hang cannot be caught once
    /// it runs (afl-fuzz kills the harness, which ends a persistent SharpFuzz campaign), so such inputs are not run.
    /// </summary>
    public static string? HangBeforeRun(FuzzTarget target, byte[] input) => null;

    /// <summary>A short name of the known defect <paramref name="error"/> is, or null when it is not one.</summary>
    public static string? Match(FuzzTarget target, Exception error) => null;
}
