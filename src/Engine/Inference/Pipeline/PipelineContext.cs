using System;
using System.Collections.Generic;
using System.Threading;
using MdaiClara.Engine.Inference.Inferers;
using MdaiClara.Engine.Logging;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>What every step of one pipeline run shares: semantics, device, where outputs go, log, cancellation.</summary>
public sealed class PipelineContext
{
    public required MonaiSemantics Semantics { get; init; }

    public required Device Device { get; init; }

    /// <summary>The folder SaveImage(d) writes to when its output_dir is the MMAR's eval folder (the user's -OutputPath), or null to write nothing.</summary>
    public string? OutputDirectory { get; init; }

    public IEngineLog? Log { get; init; }

    public IProgress<InferenceProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Called after every step with its stage name ("pre_00_LoadImaged", "inferer", "post_01_AsDiscreted"): tests and diagnostics look at the data there.</summary>
    public Action<string, PipelineItem>? Observer { get; init; }

    /// <summary>Files the run wrote (SaveImage), in order.</summary>
    public List<string> WrittenFiles { get; } = new();
}
