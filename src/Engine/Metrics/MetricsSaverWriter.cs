using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Inference.Transforms;
using MdaiClara.Engine.IO;

namespace MdaiClara.Engine.Metrics;

/// <summary>
/// Writes what MONAI's <c>MetricsSaver</c> (its <c>write_metrics_reports</c>) writes at the end of a validation run,
/// byte for byte: <c>metrics.csv</c> (one <c>name{delimiter}str(value)</c> line per selected metric),
/// <c>&lt;name&gt;_raw.csv</c> per selected handler with details (header <c>filename, class0…classN-1, mean</c>; one row per
/// case: the image's filename, each channel's value and their NaN-ignoring mean) and, with summary_ops,
/// <c>&lt;name&gt;_summary.csv</c> (header <c>class</c> and the operations; a row per channel and one for "mean", each
/// operation over the cases ignoring NaN, <c>.4f</c>). Raw values are printed as MONAI 0.8.1 (<c>str()</c> of the
/// NumPy element) and 1.3.2 (<c>.4f</c> for float64 elements, <c>str()</c> otherwise) print them.
/// </summary>
public static class MetricsSaverWriter
{
    /// <summary>Writes the files (atomically, creating <paramref name="directory"/>) and returns their paths in writing order.</summary>
    /// <param name="directory">MetricsSaver's save_dir.</param>
    /// <param name="settings">The handler's metrics / metric_details / summary_ops / delimiter.</param>
    /// <param name="images">The <c>filename_or_obj</c> of each case's image, in case order; null writes the case index as MONAI does without meta data.</param>
    /// <param name="handlers">Every handler of the run (key metric first), each holding all cases.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    public static IReadOnlyList<string> Write(string directory, MetricsSaverSettings settings, IReadOnlyList<string>? images, IReadOnlyList<MonaiHandlerAccumulator> handlers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handlers);
        var written = new List<string>();
        var deli = settings.Delimiter;
        var metrics = handlers.Where(h => MetricsSaverSettings.Selects(settings.Metrics, h.Metric.LogLabel)).ToArray();
        if (metrics.Length > 0)
        {
            var text = new StringBuilder();
            foreach (var h in metrics)
            {
                text.Append(h.Metric.LogLabel).Append(deli).Append(PythonNumberText.Float64(h.Value)).Append('\n');
            }

            written.Add(WriteText(Path.Combine(directory, "metrics.csv"), text.ToString()));
        }

        List<string>? carriedLabels = null;
        foreach (var h in handlers.Where(h => h.HasDetails && MetricsSaverSettings.Selects(settings.MetricDetails, h.Metric.LogLabel)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (images is not null && images.Count < h.SavedDetails.Count)
            {
                throw new MdaiClaraException($"MetricsSaver: {h.SavedDetails.Count} cases were measured for {h.Metric.LogLabel} but only {images.Count} image names were given.", ErrorIds.MetricInputInvalid, ErrorKind.InvalidArgument, h.Metric.LogLabel);
            }

            var table = WithMeanColumn(h);
            var columns = table.Count == 0 ? 1 : table[0].Length;
            var labels = ClassLabels(h.Semantics, columns, ref carriedLabels);
            var raw = new StringBuilder();
            raw.Append("filename").Append(deli).Append(string.Join(deli, labels)).Append('\n');
            for (var i = 0; i < table.Count; i++)
            {
                raw.Append(images is not null ? images[i] : i.ToString(CultureInfo.InvariantCulture)).Append(deli);
                raw.Append(string.Join(deli, table[i].Select(v => RawText(v, h)))).Append('\n');
            }

            written.Add(WriteText(Path.Combine(directory, h.Metric.LogLabel + "_raw.csv"), raw.ToString()));
            if (settings.SummaryOps is null)
            {
                continue;
            }

            var ops = settings.SummaryOps.Contains("*") ? MetricsSaverSettings.AllSummaryOps : settings.SummaryOps;
            var summary = new StringBuilder();
            summary.Append("class").Append(deli).Append(string.Join(deli, ops)).Append('\n');
            for (var c = 0; c < columns; c++)
            {
                var column = table.Select(row => row[c]).ToArray();
                summary.Append(labels[c]).Append(deli).Append(string.Join(deli, ops.Select(op => PythonNumberText.Fixed4(Summarise(op, column, h))))).Append('\n');
            }

            written.Add(WriteText(Path.Combine(directory, h.Metric.LogLabel + "_summary.csv"), summary.ToString()));
        }

        return written;
    }

    /// <summary>
    /// The column names of a raw file (and the row names of its summary). 0.8.1: class0…class(N−1), mean. 1.3.2 builds
    /// them once and then keeps appending "mean" to the same list for every further metric in the same call, so the
    /// second file's header reads class0…, mean, mean and its summary rows take the first file's names.
    /// </summary>
    private static List<string> ClassLabels(MonaiSemantics semantics, int columns, ref List<string>? carried)
    {
        if (semantics != MonaiSemantics.Monai1x)
        {
            return Enumerable.Range(0, columns - 1).Select(c => "class" + c.ToString(CultureInfo.InvariantCulture)).Append("mean").ToList();
        }

        carried ??= Enumerable.Range(0, columns - 1).Select(c => "class" + c.ToString(CultureInfo.InvariantCulture)).ToList();
        carried.Add("mean");
        return carried;
    }

    /// <summary>Whether <paramref name="op"/> is MONAI's "&lt;int&gt;percentile".</summary>
    internal static bool IsPercentileOp(string op) =>
        op.EndsWith("percentile", StringComparison.Ordinal)
        && int.TryParse(op.AsSpan(0, op.Length - "percentile".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 100;

    /// <summary>The details with np.nanmean over the channels appended to each case (float32 unless the details are float64).</summary>
    private static List<double[]> WithMeanColumn(MonaiHandlerAccumulator h) =>
        h.SavedDetails.Select(row =>
        {
            var kept = row.Where(v => !double.IsNaN(v)).ToArray();
            double mean = kept.Length == 0 ? double.NaN
                : h.DetailsAreFloat64 ? kept.Sum() / kept.Length
                : (float)(kept.Aggregate(0f, (sum, v) => sum + (float)v) / (double)kept.Length);
            return row.Append(mean).ToArray();
        }).ToList();

    private static string RawText(double value, MonaiHandlerAccumulator h) =>
        !h.DetailsAreFloat64 ? PythonNumberText.Float32((float)value)
        : h.Semantics == MonaiSemantics.Monai1x ? PythonNumberText.Fixed4(value)
        : PythonNumberText.Float64(value);

    /// <summary>One summary operation over a column, NaN ignored (np.nanmean, nanmedian, nanmax, nanmin, nanpercentile, nanstd; notnans counts).</summary>
    private static double Summarise(string op, double[] column, MonaiHandlerAccumulator h)
    {
        var kept = column.Where(v => !double.IsNaN(v)).ToArray();
        if (op == "notnans")
        {
            return kept.Length;
        }

        if (kept.Length == 0)
        {
            return double.NaN;
        }

        double result = op switch
        {
            "mean" => kept.Average(),
            "median" => Median(kept),
            "max" => kept.Max(),
            "min" => kept.Min(),
            "std" => Math.Sqrt(kept.Select(v => (v - kept.Average()) * (v - kept.Average())).Average()),
            _ when IsPercentileOp(op) => PercentileRules.NumpyPercentile((double[])kept.Clone(), int.Parse(op.AsSpan(0, op.Length - "percentile".Length), CultureInfo.InvariantCulture)),
            _ => throw new MdaiClaraException($"MetricsSaver: the summary operation '{op}' is not one MONAI knows.", ErrorIds.MetricArgumentInvalid, ErrorKind.InvalidArgument, op),
        };
        return h.DetailsAreFloat64 ? result : (float)result;
    }

    /// <summary>np.median: the middle value, or the mean of the two middle values (so an infinity stays infinite).</summary>
    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var half = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }

    private static string WriteText(string path, string text)
    {
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)), createFolder: true);
        return path;
    }
}
