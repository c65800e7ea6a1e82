namespace MdaiClara.Engine.Reporting;

/// <summary>What kind of model a validation report describes.</summary>
public enum ReportTask
{
    /// <summary>Label maps against truth label maps: distributions per class and metric, overlays per case.</summary>
    Segmentation,

    /// <summary>Class scores against truth: distributions and ROC curves per class.</summary>
    Classification,
}
