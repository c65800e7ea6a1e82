using Xunit;

namespace MdaiClara.Engine.Tests.Inference;

/// <summary>Tests that touch libtorch run one at a time (native state is process-wide).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "Torch";
}
