namespace MdaiClara.Engine.Bundles;

/// <summary>The commands that fix a bundle, in MONAI's own terms.</summary>
public static class BundleRemedies
{
    /// <summary>MONAI's command that makes models/model.ts from models/model.pt (run in the bundle folder).</summary>
    public static string CkptExport(string inferenceConfig) =>
        $"python -m monai.bundle ckpt_export network_def --filepath {BundleLayout.TorchScriptFile} --ckpt_file {BundleLayout.CheckpointFile} --meta_file {BundleLayout.MetadataFile} --config_file {inferenceConfig}";

    /// <summary>What makes the TorchScript: ckpt_export when the checkpoint is there, else asking for the file.</summary>
    public static string ModelFile(BundleInfo info) =>
        info.Checkpoint is not null
            ? $"export it from {BundleLayout.CheckpointFile} in the bundle folder with: {CkptExport(info.InferenceConfigFile ?? BundleLayout.InferenceConfigCandidates[0])}"
            : $"put the bundle's TorchScript at {BundleLayout.TorchScriptFile} (MONAI's ckpt_export makes it from models/model.pt)";
}
