using System.Runtime.InteropServices;
using SkiaSharp;

namespace MdaiClara.Engine.Reporting;

/// <summary>Encodes an opaque RGBA pixel buffer as PNG with SkiaSharp.</summary>
internal static class PngImage
{
    public static byte[] Encode(byte[] rgba, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
