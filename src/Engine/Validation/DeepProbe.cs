using System.Collections.Generic;
using System.Threading;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Validation.Deep;

namespace MdaiClara.Engine.Validation;

/// <summary>Test-Mmar -Deep: the model-neutral <see cref="ForwardProbe"/> on an MMAR's <see cref="RunnableModel"/>.</summary>
public static class DeepProbe
{
    /// <summary>The dummy input shape [1, C, …] and where its spatial size came from.</summary>
    public static (long[] Shape, string Source) InputShape(MmarInfo info) =>
        ForwardProbe.InputShape(info.InferenceConfig, info.InputChannels, info.Task switch
        {
            "segmentation" => ModelTask.Segmentation,
            "classification" => ModelTask.Classification,
            _ => ModelTask.Other,
        });

    public static IEnumerable<MmarFinding> Run(MmarAnalysis analysis, DeviceSpec device, ModelSessionCache cache, IEngineLog? log, CancellationToken cancellationToken) =>
        ForwardProbe.Run(RunnableModels.FromMmar(analysis), device, cache, log, cancellationToken);
}
