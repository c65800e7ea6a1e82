using System.Collections.Generic;

namespace MdaiClara.Engine.Bundles;

/// <summary>Something of a bundle's evaluation config that cannot be read without running Python, and where.</summary>
/// <param name="Position">Where (file:line:column).</param>
/// <param name="Message">What, in the user's terms.</param>
/// <param name="Kind">The resolution problem it is (a merge override whose parent is missing is a missing reference); null for a syntax error.</param>
public sealed record BundleEvaluationProblem(ConfigPosition Position, string Message, ConfigProblemKind? Kind = ConfigProblemKind.InvalidComponent)
{
    /// <summary>True when the file does not parse.</summary>
    public bool IsSyntax => Kind is null;

    public override string ToString() => $"{Position}: {Message}";
}

/// <summary>One metric of the evaluator (<c>validate#key_metric</c> or <c>validate#additional_metrics</c>): its log label and component.</summary>
/// <param name="LogLabel">The key it is logged and saved under ("val_mean_dice").</param>
/// <param name="Component">The handler with the arguments that change what it computes (output_transform is not read).</param>
/// <param name="IsKey">True for the key metric.</param>
public sealed record BundleMetric(string LogLabel, ComponentValue Component, bool IsKey);

/// <summary>
/// A bundle's evaluation config as <c>python -m monai.bundle run --config_file "['configs/train.json',
/// 'configs/evaluate.json']"</c> reads it: the files merged, the evaluator's preprocessing, inferer and
/// postprocessing (<c>validate#…</c>), its key and additional metrics, the MetricsSaver of its handlers, and where the
/// datalist is (a Python expression, never evaluated here). <see cref="Problems"/> lists what cannot be read.
/// </summary>
public sealed record BundleEvaluation(
    IReadOnlyList<string> Files,
    BundlePipeline Pipeline,
    IReadOnlyList<BundleMetric> Metrics,
    ComponentValue? MetricsSaver,
    ConfigNode? Datalist,
    bool? Amp,
    IReadOnlyList<BundleEvaluationProblem> Problems)
{
    /// <summary>Metric handlers left out because they measure something other than pred against label, with where.</summary>
    public IReadOnlyList<BundleEvaluationProblem> MetricsLeftOut { get; init; } = System.Array.Empty<BundleEvaluationProblem>();

    /// <summary>The evaluation config itself (configs/evaluate.json|yaml), the last file merged.</summary>
    public string File => Files[^1];

    /// <summary>"configs/train.json + configs/evaluate.json".</summary>
    public string Description => string.Join(" + ", Files);
}
