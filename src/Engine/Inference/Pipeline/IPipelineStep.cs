namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>One configured transform of a pipeline, bound to its arguments.</summary>
public interface IPipelineStep
{
    /// <summary>The transform's name as the config writes it, for messages and timings.</summary>
    string Name { get; }

    void Apply(PipelineItem item, PipelineContext context);
}
