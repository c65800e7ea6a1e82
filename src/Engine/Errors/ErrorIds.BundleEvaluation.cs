namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of a MONAI bundle's evaluation config (configs/evaluate.json over configs/train.json).</summary>
public static partial class ErrorIds
{
    /// <summary>A part of the bundle's evaluation config that the measurement needs cannot be read without running Python (file:line:column says which).</summary>
    public const string BundleEvaluationRefused = "BundleEvaluationRefused";

    /// <summary>The evaluation config's datalist is a Python expression, which is not evaluated: the cases must be given.</summary>
    public const string EvaluationDataListNotRead = "EvaluationDataListNotRead";
}
