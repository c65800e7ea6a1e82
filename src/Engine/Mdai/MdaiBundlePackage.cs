namespace MdaiClara.Engine.Mdai;

/// <summary>A written MD.ai deployment package of a MONAI bundle (one of MD.ai's Python images).</summary>
public sealed record MdaiBundlePackage : MdaiDeploymentPackage
{
    /// <summary>The text of model/.mdai/mdai_clara.json.</summary>
    public required string Settings { get; init; }

    /// <summary>The bundle's name (metadata.json's "name", else its folder or zip name).</summary>
    public required string Bundle { get; init; }

    /// <summary>The monai_version metadata.json asks for, which requirements.txt pins.</summary>
    public required string MonaiVersion { get; init; }

    /// <summary>"segmentation" or "classification": which interface code the package carries.</summary>
    public required string Task { get; init; }
}
