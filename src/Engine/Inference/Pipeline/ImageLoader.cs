using System;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Imaging.Pictures;
using StbImageSharp;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Pipeline;

/// <summary>
/// LoadImage's readers: NIfTI as MONAI's NibabelReader gives it (nibabel's affine, scaling applied, no reorientation),
/// DICOM series as its ITKReader gives them (i = column, j = row, k = slice along the normal, rescale applied; a single
/// 2-D image stays 2-D), and 2-D pictures as its PILReader gives them (transposed to [width, height], identity affine,
/// colour channels last). Voxels become float32 on the pipeline's device.
/// </summary>
public static class ImageLoader
{
    private static readonly string[] PictureExtensions = { ".png", ".jpg", ".jpeg", ".bmp" };

    public static bool IsPicture(string path) => PictureExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Reads <paramref name="source"/> into a fresh item (no channel axis yet, or channels last).</summary>
    public static ImageItem Load(InputSource source, Device device, CancellationToken cancellationToken, Logging.IEngineLog? log)
    {
        if (source.Volume is { } volume)
        {
            return FromVolume(volume, source.Name, device);
        }

        if (source.Series is { } series)
        {
            return FromVolume(DicomSeriesAssembler.Assemble(series, cancellationToken, log), source.Name, device);
        }

        if (source.Files.Count == 1 && !MedicalImageSources.IsNifti(source.Files[0]) && !File.Exists(source.Files[0]) && !Directory.Exists(source.Files[0]))
        {
            // Not "no DICOM image in it": there is nothing there (a missing NIfTI file is NiftiNotFound, from its reader).
            throw new MdaiClaraException($"{source.Files[0]} does not exist.", ErrorIds.InputNotFound, ErrorKind.ObjectNotFound, source.Files[0]);
        }

        if (source.Files.Count == 1 && IsPicture(source.Files[0]))
        {
            return FromPicture(source.Files[0], source.Name, device);
        }

        if (source.Files.Count == 1 && MedicalImageSources.IsNifti(source.Files[0]))
        {
            return FromVolume(NiftiReader.Read(source.Files[0], cancellationToken), source.Name, device);
        }

        var scan = DicomSeriesAssembler.Scan(source.Files, cancellationToken, log);
        if (scan.Series.Count == 0)
        {
            var why = scan.Skipped.Count > 0 ? $": {scan.Skipped[0]}" : string.Empty;
            throw new MdaiClaraException($"{source.Name} holds no DICOM image, NIfTI or picture that LoadImage can read{why}.", ErrorIds.DicomNoImages, ErrorKind.InvalidData, source.Name);
        }

        if (scan.Series.Count > 1)
        {
            // MONAI's ITKReader takes the first series of a folder; we refuse to guess.
            throw new MdaiClaraException(
                $"{source.Name} holds {scan.Series.Count} DICOM series ({string.Join(", ", scan.Series.Select(s => s.ToString()))}); give one series per input (Import-MedicalImage splits them).",
                ErrorIds.DicomSeriesInconsistent, ErrorKind.InvalidData, source.Name);
        }

        return FromVolume(DicomSeriesAssembler.Assemble(scan.Series[0], cancellationToken, log), source.Name, device);
    }

    /// <summary>A volume as LoadImage returns it: [X, Y, Z] (a one-slice DICOM image or a 2-D NIfTI: [X, Y]), float32.</summary>
    public static ImageItem FromVolume(Volume volume, string name, Device device)
    {
        var data = VolumeTensors.ToTensor(volume, device);
        var affine = volume.Affine;
        var spatialRank = Math.Min(3, volume.Shape.Count);
        string? channelDim = volume.Shape.Count > 3 ? "-1" : null;
        var singleDicomImage = volume.Dicom is not null && volume.Shape.Count == 3 && volume.Shape[2] == 1 && volume.Dicom.Slices.Count == 1;
        if (singleDicomImage || volume.SpatialRank == 2)
        {
            // ITK reads a single DICOM image as a 2-D image, nibabel a 2-D NIfTI: keep the in-plane axes and their geometry only.
            var squeezed = data.squeeze(2);
            data.Dispose();
            data = squeezed;
            spatialRank = 2;
            affine = InPlane(affine);
        }

        return new ImageItem(data, affine, spatialRank, channelDim, name) { SourceVolume = volume };
    }

    private static ImageItem FromPicture(string path, string name, Device device)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MdaiClaraException($"Cannot read the picture {path}: {ex.Message.TrimEnd('.')}.", ErrorIds.PictureInvalid, ErrorKind.InvalidData, path, ex);
        }

        // The structure first (chunk lengths, CRCs, sizes the data can hold): the library trusts them.
        var (format, png) = PictureFiles.Check(path, bytes);
        if (png is { BitDepth: 16 })
        {
            var (samples, width, height) = Png16Decoder.Decode(path, bytes, png);
            using var scope16 = NewDisposeScope();
            var grey = tensor(Array.ConvertAll(samples, v => (int)v), new long[] { height, width }).to(device).to_type(ScalarType.Float32);
            return new ImageItem(grey.t().contiguous().MoveToOuterDisposeScope(), Affine.Identity, 2, null, name);
        }

        ImageResult image;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            image = ImageResult.FromStream(stream, ColorComponents.Default);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException or FileNotFoundException or FileLoadException or TypeLoadException or MissingMemberException))
        {
            // The C port answers with terse codes ("bad ctype") or, on data it did not expect, index errors.
            throw PictureFiles.Explain(path, format, ex);
        }

        var channels = image.Comp switch
        {
            ColorComponents.Grey => 1,
            ColorComponents.GreyAlpha => 2,
            ColorComponents.RedGreenBlue => 3,
            _ => 4,
        };

        // Rows × columns × channels in the file → MONAI's PIL layout [width, height(, channels)].
        using var scope = NewDisposeScope();
        var hwc = tensor(image.Data, new long[] { image.Height, image.Width, channels }).to(device).to_type(ScalarType.Float32);
        var data = channels == 1 ? hwc.squeeze(2).t() : hwc.permute(1, 0, 2);
        return new ImageItem(data.contiguous().MoveToOuterDisposeScope(), Affine.Identity, 2, channels == 1 ? null : "-1", name);
    }

    /// <summary>The in-plane part of a 3-D affine as a rank-2 affine (MONAI's 3×3 embedded in 4×4).</summary>
    private static Affine InPlane(Affine a) => new(new[]
    {
        a[0, 0], a[0, 1], 0, a[0, 3],
        a[1, 0], a[1, 1], 0, a[1, 3],
        0, 0, 1, 0,
        0, 0, 0, 1,
    });
}
