namespace MdaiClara.Engine.Mdai;

/// <summary>A written MD.ai deployment package of an NVIDIA Clara MMAR (MD.ai's Clara image).</summary>
public sealed record MdaiPackage : MdaiDeploymentPackage
{
    public required MdaiDeploySettings Settings { get; init; }

    /// <summary>The MMAR's name.</summary>
    public required string Mmar { get; init; }
}
