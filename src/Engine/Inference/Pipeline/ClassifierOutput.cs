using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Inference.Pipeline.Steps;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>One class a classifier's postprocessing decided (AsDiscrete's argmax, one-hot or threshold).</summary>
public sealed record ClassDecision(int Index, string Name)
{
    public override string ToString() => Name;
}

/// <summary>
/// A classifier's final prediction as MONAI leaves it. Without AsDiscrete it is one score per class (probabilities
/// after an activation). With AsDiscrete it is a decision: argmax gives the class index (one value), argmax with
/// to_onehot a one-hot vector, a threshold a 0/1 per class; the class scores are then what the prediction was just
/// before AsDiscrete, and probabilities only when an activation (softmax or sigmoid) made them so.
/// </summary>
public sealed class ClassifierOutput
{
    private double[]? _beforeDiscrete;
    private bool _activated;
    private bool _activatedBeforeDiscrete;

    /// <summary>Call before each post step runs, with the prediction as it is then.</summary>
    public void Before(IPipelineStep step, PipelineItem item)
    {
        if (_beforeDiscrete is null && step is AsDiscreteStep discrete && discrete.Handles("pred") && item.TryGet("pred", out var pred))
        {
            _beforeDiscrete = pred.Data.flatten().to_type(TorchSharp.torch.ScalarType.Float64).cpu().data<double>().ToArray();
            _activatedBeforeDiscrete = _activated;
        }

        if (step is ActivationsStep activations && activations.Activates("pred"))
        {
            _activated = true;
        }
    }

    /// <summary>True when an AsDiscrete step made the prediction a decision.</summary>
    public bool Discrete => _beforeDiscrete is not null;

    /// <summary>
    /// The per-class probabilities: the final values when nothing made them discrete, else the values before
    /// AsDiscrete when an activation came first, else none (the class was decided from the network's raw scores).
    /// </summary>
    public double[] Probabilities(double[] final) => _beforeDiscrete is null ? final : _activatedBeforeDiscrete ? _beforeDiscrete : Array.Empty<double>();

    /// <summary>The class scores: the final values, or the values just before AsDiscrete made them a decision.</summary>
    public double[] Scores(double[] final) => _beforeDiscrete ?? final;

    /// <summary>
    /// The classes the final prediction decides (empty when it is not discrete); null when the discrete prediction is
    /// neither a class index nor a 0/1 value per class.
    /// </summary>
    public IReadOnlyList<int>? Decided(double[] final)
    {
        if (_beforeDiscrete is null)
        {
            return Array.Empty<int>();
        }

        var classes = _beforeDiscrete.Length;
        if (final.Length == 1 && classes > 1)
        {
            var index = final[0];
            return index == Math.Floor(index) && index >= 0 && index < classes ? new[] { (int)index } : null;
        }

        return final.Length == classes && final.All(v => v is 0 or 1)
            ? final.Select((v, i) => (v, i)).Where(p => p.v == 1).Select(p => p.i).ToArray()
            : null;
    }
}
