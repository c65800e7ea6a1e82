using System.Collections.Generic;
using System.Threading;

namespace MdaiClara.Engine.Reporting;

/// <summary>The pictures of a report: distributions (and ROC curves) for the whole set, overlay views per case.</summary>
internal static class ReportFigures
{
    public static IReadOnlyList<ReportFigure> Distributions(ValidationReport report, CancellationToken cancellationToken)
    {
        SkiaNatives.EnsureLoadable();
        var figures = new List<ReportFigure>();
        if (report.Task == ReportTask.Segmentation)
        {
            figures.AddRange(DistributionPlots.PerMetric(report, cancellationToken));
        }
        else
        {
            figures.AddRange(RocPlot.Curves(report));
            figures.AddRange(DistributionPlots.Scores(report, cancellationToken));
        }

        return figures;
    }

    public static IReadOnlyList<OverlayViewSet> Views(ReportCaseImages images, ValidationReportOptions options, CancellationToken cancellationToken)
    {
        SkiaNatives.EnsureLoadable();
        return OrthogonalViews.Render(images, options.ViewSize, cancellationToken);
    }
}
