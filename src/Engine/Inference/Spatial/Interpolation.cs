namespace MdaiClara.Engine.Inference.Spatial;

/// <summary>MONAI/PyTorch interpolation modes ("bilinear" means trilinear on 3-D data, as in MONAI).</summary>
public enum Interpolation
{
    Nearest,
    NearestExact,
    Linear,
    Bilinear,
    Bicubic,
    Trilinear,
    Area,
}

/// <summary>What grid sampling returns outside the input (PyTorch grid_sample padding_mode).</summary>
public enum GridPaddingMode
{
    Zeros,
    Border,
    Reflection,
}
