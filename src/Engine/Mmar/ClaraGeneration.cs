namespace MdaiClara.Engine.Mmar;

/// <summary>Which Clara Train generation made an MMAR; decides framework and MONAI semantics.</summary>
public enum ClaraGeneration
{
    Unknown = 0,

    /// <summary>Clara Train 2.x/3.x: TensorFlow graphs, ai4med/nvmidl components; cannot run on TorchScript.</summary>
    Clara3TensorFlow,

    /// <summary>Clara Train 4.0: PyTorch/MONAI 0.5, handlers save and invert.</summary>
    Clara40,

    /// <summary>Clara Train 4.1: PyTorch/MONAI 0.8.1, @references, Invertd/SaveImaged post-transforms.</summary>
    Clara41,

    /// <summary>A Clara 4.x MMAR whose minor version is not one of the above.</summary>
    Clara4Other,
}
