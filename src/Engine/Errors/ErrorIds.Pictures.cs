namespace MdaiClara.Engine.Errors;

/// <summary>Error ids of the 2-D picture readers (PNG, JPEG, BMP) that LoadImage uses.</summary>
public static partial class ErrorIds
{
    /// <summary>A PNG, JPEG or BMP file is malformed (bad chunk structure or checksum, a header its data cannot fill, a decoder refusal).</summary>
    public const string PictureInvalid = "PictureInvalid";
}
