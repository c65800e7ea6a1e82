using System;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Imaging.Dicom.Codecs;
using MdaiClara.Engine.Imaging.Nifti;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Fuzz;

/// <summary>
/// The one entry point both the AFL campaigns (Program.cs) and the corpus replay test (MdaiClara.Engine.Tests) drive:
/// it feeds one input to one engine parser the way the cmdlets do. Its contract, which the fuzzer checks: the call
/// returns, or throws <see cref="MdaiClaraException"/>; any other exception, a hang or a crash is a defect.
/// </summary>
public static class FuzzHarness
{
    // DicomPixelData's bound for a compressed frame: 2000 samples per byte, at least 16 Mi samples. The RLE target
    // keeps to what the DICOM reader would ever ask the codec for, so a frame description alone is not "a finding".
    private const long MinCompressedCap = 1L << 24;
    private const long CompressionCap = 2000;
    private const int MaxFramesDecoded = 4;

    /// <summary>Runs <paramref name="input"/> through <paramref name="target"/>; <paramref name="scratch"/> is an empty-able folder for files.</summary>
    public static void Run(FuzzTarget target, byte[] input, string scratch)
    {
        switch (target)
        {
            case FuzzTarget.Dicom:
                Dicom(WriteScratch(scratch, "input.dcm", input));
                break;
            case FuzzTarget.Jpeg:
                JpegDecoder.Decode(input);
                break;
            case FuzzTarget.Rle:
                Rle(input);
                break;
            case FuzzTarget.Nifti:
                using (var stream = new MemoryStream(input, writable: false))
                {
                    NiftiReader.Read(stream, "input.nii");
                }

                break;
            case FuzzTarget.MmarConfig:
                Mmar(WriteMmarFolder(scratch, input));
                break;
            case FuzzTarget.MmarZip:
                Mmar(WriteScratch(scratch, "mmar.zip", input));
                break;
            case FuzzTarget.Picture:
                Picture(WriteScratch(scratch, "input.png", input));
                break;
            case FuzzTarget.MdaiOutput:
                MdaiOutput(WriteScratch(scratch, "outputs.json", input));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown fuzz target.");
        }
    }

    private static void Dicom(string path)
    {
        // What Import-MedicalImage and LoadImage do with one file: read the header, decode frames, build the volume.
        var file = DicomFileReader.Read(path);
        if (file.PixelDataElement is not null)
        {
            using var pixels = DicomPixelData.Open(file);
            for (var frame = 0; frame < Math.Min(pixels.NumberOfFrames, MaxFramesDecoded); frame++)
            {
                pixels.DecodeFrame(frame);
            }
        }

        var scan = DicomSeriesAssembler.Scan(new[] { path });
        foreach (var series in scan.Series)
        {
            DicomSeriesAssembler.Assemble(series);
        }
    }

    private static void Rle(byte[] input)
    {
        if (FuzzInput.UnpackRle(input) is not var (rows, columns, samples, bits, frame))
        {
            return;
        }

        if ((long)rows * columns * samples > Math.Max(MinCompressedCap, CompressionCap * frame.Length))
        {
            return;
        }

        RleLossless.DecodeFrame(frame, rows, columns, samples, bits);
    }

    private static void Mmar(string path)
    {
        // Get-Mmar and Test-Mmar (without -Deep): open, analyse, run every rule.
        var analysis = MmarAnalyzer.Open(path);
        using (analysis.Source)
        {
            MmarValidator.Validate(analysis, new MmarValidationOptions());
        }
    }

    private static void Picture(string path)
    {
        using var item = ImageLoader.Load(InputSource.FromFile(path, "input"), TorchSharp.torch.CPU, default, null);
    }

    private static void MdaiOutput(string path)
    {
        var outputs = MdaiOutputJson.Load(path);
        MdaiOutputValidator.Validate(outputs);
        MdaiOutputValidator.Validate(outputs, strict: true);
    }

    private static string WriteScratch(string scratch, string name, byte[] input)
    {
        Directory.CreateDirectory(scratch);
        var path = Path.Combine(scratch, name);
        File.WriteAllBytes(path, input);
        return path;
    }

    private static string WriteMmarFolder(string scratch, byte[] input)
    {
        var root = Path.Combine(scratch, "mmar");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var parts = FuzzInput.UnpackMmarConfig(input);
        for (var i = 0; i < parts.Count; i++)
        {
            var path = Path.Combine(root, FuzzInput.MmarConfigFiles[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, parts[i]);
        }

        Directory.CreateDirectory(Path.Combine(root, "config"));
        return root;
    }
}
