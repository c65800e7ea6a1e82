namespace MdaiClara.Engine.Reporting;

/// <summary>Contour colours that stay distinct for red-green colour blindness: truth cyan-blue, prediction orange.</summary>
internal static class OverlayColors
{
    public static readonly (byte R, byte G, byte B) Truth = (0, 190, 255);
    public static readonly (byte R, byte G, byte B) Prediction = (255, 140, 0);

    public const string TruthCss = "#00beff";
    public const string PredictionCss = "#ff8c00";
}
