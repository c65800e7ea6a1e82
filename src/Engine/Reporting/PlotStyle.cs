using System;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace MdaiClara.Engine.Reporting;

/// <summary>The look shared by the report's charts: a sans-serif system font, the report's colours, PNG output.</summary>
internal static class PlotStyle
{
    public const int Width = 400;
    public const int Height = 300;

    private static readonly string[] SansFonts = { "Liberation Sans", "DejaVu Sans", "Arial", "Helvetica", "Segoe UI", "Noto Sans" };
    private static readonly Lazy<string?> Sans = new(() =>
    {
        var installed = SKFontManager.Default.GetFontFamilies();
        return SansFonts.FirstOrDefault(f => installed.Contains(f, StringComparer.OrdinalIgnoreCase));
    });

    /// <summary>Class colours (Tableau 10, distinct in print and for most colour vision).</summary>
    private static readonly string[] Palette = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    public static Color ClassColor(int index) => Color.FromHex(Palette[index % Palette.Length]);

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (Sans.Value is { } font)
        {
            plot.Font.Set(font);
        }

        plot.Title(title, 15);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        plot.Axes.Title.Label.Bold = false;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
        plot.Grid.MajorLineColor = Color.FromHex("#e6e9ef");
        return plot;
    }

    public static ReportFigure ToFigure(Plot plot, string caption, int width = Width, int height = Height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        plot.Dispose();
        return new ReportFigure(caption, png, width, height);
    }
}
