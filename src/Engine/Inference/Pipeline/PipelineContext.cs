using System.Threading;
using MdaiClara.Engine.Logging;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>What every step of one pipeline run shares: semantics, device, log, cancellation.</summary>
public sealed class PipelineContext
{
    public required MonaiSemantics Semantics { get; init; }

    public required Device Device { get; init; }

    public IEngineLog? Log { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Where this run writes its result files, or null when it writes none.</summary>
    public string? OutputDirectory { get; init; }
}
