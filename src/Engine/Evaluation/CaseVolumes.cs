using MdaiClara.Engine.Imaging;

namespace MdaiClara.Engine.Evaluation;

/// <summary>A case's image, truth and prediction (the last two on the truth's grid), kept for a report's overlays.</summary>
public sealed record CaseVolumes(string Name, Volume Image, Volume Truth, Volume Prediction, double MeanDice);
