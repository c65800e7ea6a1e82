using System;
using System.Globalization;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>The exceptions of NIfTI reading and writing, so every message names the file and says what to do.</summary>
internal static class NiftiErrors
{
    public static MdaiClaraException NotFound(string file) => new(
        $"NIfTI file '{file}' does not exist. Check the path.",
        ErrorIds.NiftiNotFound, ErrorKind.ObjectNotFound, file);

    public static MdaiClaraException PairHalfNotFound(string missing, string named) => new(
        $"'{missing}', the other half of the NIfTI pair '{named}', does not exist. Keep the .hdr and .img files together.",
        ErrorIds.NiftiNotFound, ErrorKind.ObjectNotFound, missing);

    public static MdaiClaraException PathInvalid(string file, string problem) => new(
        $"'{file}' {problem}. Use a path ending in .nii or .nii.gz (or .hdr/.img for a pair when reading).",
        ErrorIds.NiftiPathInvalid, ErrorKind.InvalidArgument, file);

    public static MdaiClaraException HeaderInvalid(string file, string problem) => new(
        $"'{file}' is not a valid NIfTI file: {problem}. The file is damaged or was written incorrectly; re-export it from its source.",
        ErrorIds.NiftiHeaderInvalid, ErrorKind.InvalidData, file);

    public static MdaiClaraException Truncated(string file, string what, long needed, long available) => new(
        $"'{file}' is truncated: {what} needs {Bytes(needed)} but only {Bytes(available)} are there. Copy or download it again.",
        ErrorIds.NiftiTruncated, ErrorKind.InvalidData, file);

    public static MdaiClaraException TruncatedStream(string file, string what) => new(
        $"'{file}' is truncated: the data ends before {what}. Copy or download it again.",
        ErrorIds.NiftiTruncated, ErrorKind.InvalidData, file);

    public static MdaiClaraException GzipCorrupt(string file, Exception inner) => new(
        $"'{file}' is not a valid gzip stream ({inner.Message.TrimEnd('.')}). The compressed file is damaged; copy or download it again.",
        ErrorIds.NiftiGzipCorrupt, ErrorKind.InvalidData, file, inner);

    public static MdaiClaraException DatatypeUnsupported(string file, short code) => new(
        $"'{file}' stores voxels as datatype {NiftiDataTypes.Describe(code)}, which MdaiClara does not read. {NiftiDataTypes.Remedy(code)}",
        ErrorIds.NiftiDatatypeUnsupported, ErrorKind.InvalidData, file);

    public static MdaiClaraException ShapeUnsupported(string file, string shape) => new(
        $"'{file}' has shape {shape}: more than 5 dimensions larger than 1. Split it into several files of at most 5 dimensions.",
        ErrorIds.NiftiShapeUnsupported, ErrorKind.InvalidData, file);

    public static MdaiClaraException TooLarge(string file, string shape, double count) => new(
        $"'{file}' has shape {shape}, {count.ToString("G4", CultureInfo.InvariantCulture)} voxels; one volume holds at most {Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)}. Crop or split the image first.",
        ErrorIds.NiftiTooLarge, ErrorKind.InvalidData, file);

    public static MdaiClaraException ReadFailed(string file, Exception inner) => new(
        $"Cannot read '{file}': {inner.Message.TrimEnd('.')}.",
        ErrorIds.NiftiReadFailed, inner is UnauthorizedAccessException ? ErrorKind.SecurityError : ErrorKind.ResourceUnavailable, file, inner);

    public static MdaiClaraException AffineInvalid(string file, string problem) => new(
        $"Cannot write '{file}': the volume's affine {problem}. Fix the volume's geometry first.",
        ErrorIds.NiftiAffineInvalid, ErrorKind.InvalidArgument, file);

    public static MdaiClaraException WriteFailed(string file, Exception inner) => new(
        $"Cannot write '{file}': {inner.Message.TrimEnd('.')}. Check that the folder exists, is writable and has space.",
        ErrorIds.NiftiWriteFailed, inner is UnauthorizedAccessException ? ErrorKind.SecurityError : ErrorKind.WriteError, file, inner);

    private static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
}
