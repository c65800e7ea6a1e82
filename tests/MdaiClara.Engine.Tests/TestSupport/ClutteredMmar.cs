using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>
/// The sample MMAR as it looks after training and a few evaluations in a user's working copy: eval/ predictions,
/// a .git folder, Python caches, the checkpoint beside the TorchScript, a dataset folder with NIfTI and DICOM files,
/// image data hidden in resources/, and notes lying about.
/// </summary>
internal static class ClutteredMmar
{
    /// <summary>MMAR files that only inference-irrelevant clutter adds and the package keeps (beside the sample's own).</summary>
    public static readonly string[] KeptAdditions = ["README.md", "custom/atlas_tools.py"];

    public static string Write(TempDirectory temp, string name = "cluttered")
    {
        var root = temp.CopySample(name);
        void Text(string relative, string text) => temp.Write($"{name}/{relative}", text);
        void Bytes(string relative, byte[] bytes)
        {
            var full = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }

        Bytes("eval/case_001/case_001_trans.nii.gz", Gzip(NiftiBytes()));
        Text("eval/metrics.csv", "case,dice\ncase_001,0.91\n");
        Text(".git/HEAD", "ref: refs/heads/main\n");
        Text(".git/objects/ab/cdef0123", "blob");
        Text(".gitignore", "eval/\n");
        Text("custom/atlas_tools.py", "def load_atlas(path):\n    return path\n");
        Bytes("custom/__pycache__/atlas_tools.cpython-39.pyc", [0x61, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]);
        Text("custom/.ipynb_checkpoints/explore-checkpoint.ipynb", "{}");
        Bytes("models/model.pt", Encoding.ASCII.GetBytes("PK\u0003\u0004 a torch.save checkpoint stand-in"));
        Bytes("models/model_key_metric=0.9100.pt", Encoding.ASCII.GetBytes("PK\u0003\u0004 another checkpoint"));
        Text("models/events.out.tfevents.1700000000.host", "tensorboard");
        Bytes("data/imagesTr/case_001.nii.gz", Gzip(NiftiBytes()));
        Bytes("data/dicom/IM0001", DicomBytes());
        Text("data/dataset.json", """{"training": [{"image": "imagesTr/case_001.nii.gz"}]}""");
        Bytes("resources/atlas.nii.gz", Gzip(NiftiBytes()));
        Bytes("resources/lut.bin", DicomBytes());
        Bytes("scan0001", DicomBytes());
        Text("scratch/notes.txt", "try a larger ROI");
        Text("notes.txt", "ask radiology for more cases");
        Text("README.md", "# Phantom CT segmentation\n");
        return root;
    }

    /// <summary>A NIfTI-1 single file (.nii): a 348-byte little-endian header with its magic, an empty extension, 8 voxels.</summary>
    public static byte[] NiftiBytes()
    {
        var bytes = new byte[352 + 8];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 348);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 3);
        for (var d = 1; d <= 3; d++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40 + (2 * d)), 2);
        }

        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(70), 2);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(72), 8);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(108), 352);
        Encoding.ASCII.GetBytes("n+1\0").CopyTo(bytes, 344);
        return bytes;
    }

    /// <summary>A DICOM Part 10 file start: the 128-byte preamble, DICM, and one meta element.</summary>
    public static byte[] DicomBytes()
    {
        var bytes = new byte[132 + 12];
        Encoding.ASCII.GetBytes("DICM").CopyTo(bytes, 128);
        byte[] element = [0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0, 0, 0, 0, 0];
        element.CopyTo(bytes, 132);
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }
}
