using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Reporting;

/// <summary>
/// Writes a <see cref="ValidationReport"/> as one self-contained HTML file an admin can mail to a radiologist:
/// provenance, the per-class summary with confidence intervals, distributions (box and strip plots; ROC curves for
/// classifiers), the cases worst first and, for segmentation, axial/coronal/sagittal overlays of truth and prediction
/// contours. Pictures are embedded PNGs; the page needs no network, no external file and no script. The file is
/// written atomically (a reader sees the old file or the whole new one).
/// </summary>
public static class ValidationReportWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> with the default options.</summary>
    public static void Write(ValidationReport report, string path, CancellationToken cancellationToken) =>
        Write(report, path, ValidationReportOptions.Default, cancellationToken);

    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> (replacing it), creating its folder when missing.</summary>
    /// <exception cref="MdaiClaraException">ReportPathInvalid, ReportInputInvalid, ReportWriteFailed or ReportGraphicsUnavailable.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled; no file is left behind.</exception>
    public static void Write(ValidationReport report, string path, ValidationReportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        var full = FullPath(path);
        ReportInputCheck.Check(report);
        var html = Render(report, options, cancellationToken);
        try
        {
            AtomicFile.Write(full, file =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html);
                file.Write(bytes, 0, bytes.Length);
            }, createFolder: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException(
                $"The validation report could not be written to {full}: {ex.Message} Choose a folder you can write to, or close the program that holds the file.",
                ErrorIds.ReportWriteFailed, ErrorKind.WriteError, full, ex);
        }
    }

    /// <summary>The report's HTML, as <see cref="Write(ValidationReport, string, ValidationReportOptions, CancellationToken)"/> writes it.</summary>
    public static string Render(ValidationReport report, ValidationReportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        ReportInputCheck.Check(report);
        return ReportDocument.Render(report, options, cancellationToken);
    }

    private static string FullPath(string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new MdaiClaraException($"'{path}' is not a valid file path for the validation report.", ErrorIds.ReportPathInvalid, ErrorKind.InvalidArgument, path, ex);
        }

        if (Directory.Exists(full) || full.EndsWith(Path.DirectorySeparatorChar) || full.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new MdaiClaraException($"The validation report's path {full} is a folder; give a file name such as report.html.", ErrorIds.ReportPathInvalid, ErrorKind.InvalidArgument, full);
        }

        if (!new[] { ".html", ".htm" }.Contains(Path.GetExtension(full), StringComparer.OrdinalIgnoreCase))
        {
            throw new MdaiClaraException($"The validation report's path {full} does not end in .html or .htm; the file is an HTML page.", ErrorIds.ReportPathInvalid, ErrorKind.InvalidArgument, full);
        }

        return full;
    }
}
