namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>How an MD.ai label is drawn (a label's annotationMode; mdai-contract §8.1, §8.3).</summary>
public enum MdaiAnnotationMode
{
    /// <summary>No drawing: a global label (exam, series or image level), classification truth. annotationMode null.</summary>
    Global,

    /// <summary>A box {x, y, width, height}.</summary>
    Bbox,

    /// <summary>A closed polygon {vertices}.</summary>
    Polygon,

    /// <summary>A closed hand-drawn outline {vertices}.</summary>
    Freeform,

    /// <summary>An open polyline {vertices}.</summary>
    Line,

    /// <summary>A point {x, y}.</summary>
    Location,

    /// <summary>Foreground and background polygons {foreground, background}.</summary>
    Mask,
}
