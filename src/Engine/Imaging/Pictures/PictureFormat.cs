namespace MdaiClara.Engine.Imaging.Pictures;

/// <summary>The 2-D picture formats LoadImage reads (as MONAI's PILReader), told apart by their first bytes.</summary>
public enum PictureFormat
{
    Unknown,
    Png,
    Jpeg,
    Bmp,
}
