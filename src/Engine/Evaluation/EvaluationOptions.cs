using MdaiClara.Engine.Inference;

namespace MdaiClara.Engine.Evaluation;

/// <summary>How a model is measured.</summary>
/// <param name="Device">Where the model runs.</param>
/// <param name="OutputDirectory">Where predictions and MetricsSaver files are written; null writes nothing.</param>
/// <param name="SurfaceToleranceMm">The tolerance of the normalised surface Dice, in mm.</param>
/// <param name="Threshold">A classifier's decision threshold on its scores.</param>
/// <param name="Semantics">MONAI semantics to force (else the model's).</param>
public sealed record EvaluationOptions(DeviceSpec Device, string? OutputDirectory, double SurfaceToleranceMm = 2.0, double Threshold = 0.5, MonaiSemantics? Semantics = null)
{
    /// <summary>The folder the datalist's relative paths are under, instead of the config's data root (DATA_ROOT).</summary>
    public string? DataRoot { get; init; }

    /// <summary>How many cases keep their image, truth and prediction volumes for a report's overlays (the worst by mean Dice); 0 keeps none.</summary>
    public int KeepCaseVolumes { get; init; }

    /// <summary>Bootstrap seed of the confidence intervals.</summary>
    public int Seed { get; init; } = 12345;
}
