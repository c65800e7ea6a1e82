using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>Reads NumPy .npy files (and .npy.gz) written little-endian in C order, as the golden references are.</summary>
internal static class Npy
{
    public sealed record NpyArray(string Dtype, long[] Shape, double[] Values);

    public static NpyArray Read(string path)
    {
        byte[] bytes;
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gz.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        else
        {
            bytes = File.ReadAllBytes(path);
        }

        if (bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"{path} is not a .npy file");
        }

        var (headerLength, start) = bytes[6] == 1 ? (BitConverter.ToUInt16(bytes, 8), 10) : (BitConverter.ToInt32(bytes, 8), 12);
        var header = Encoding.ASCII.GetString(bytes, start, headerLength);
        string Field(string key)
        {
            var at = header.IndexOf("'" + key + "'", StringComparison.Ordinal);
            return header[(header.IndexOf(':', at) + 1)..].TrimStart();
        }

        var descr = Field("descr");
        descr = descr[1..descr.IndexOf('\'', 1)];
        if (Field("fortran_order").StartsWith("True", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path} is in Fortran order");
        }

        var shapeText = Field("shape");
        shapeText = shapeText[1..shapeText.IndexOf(')', StringComparison.Ordinal)];
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var data = bytes.AsSpan(start + headerLength);
        double[] values = descr switch
        {
            "|u1" => data.ToArray().Select(b => (double)b).ToArray(),
            "|i1" => data.ToArray().Select(b => (double)(sbyte)b).ToArray(),
            "<u2" => MemoryMarshal.Cast<byte, ushort>(data).ToArray().Select(v => (double)v).ToArray(),
            "<i2" => MemoryMarshal.Cast<byte, short>(data).ToArray().Select(v => (double)v).ToArray(),
            "<u4" => MemoryMarshal.Cast<byte, uint>(data).ToArray().Select(v => (double)v).ToArray(),
            "<i4" => MemoryMarshal.Cast<byte, int>(data).ToArray().Select(v => (double)v).ToArray(),
            "<f2" => MemoryMarshal.Cast<byte, Half>(data).ToArray().Select(v => (double)v).ToArray(),
            "|b1" => data.ToArray().Select(b => b != 0 ? 1.0 : 0.0).ToArray(),
            "<i8" => MemoryMarshal.Cast<byte, long>(data).ToArray().Select(v => (double)v).ToArray(),
            "<f4" => MemoryMarshal.Cast<byte, float>(data).ToArray().Select(v => (double)v).ToArray(),
            "<f8" => MemoryMarshal.Cast<byte, double>(data).ToArray(),
            _ => throw new InvalidDataException($"{path}: dtype {descr} is not supported by this reader"),
        };
        return new NpyArray(descr, shape, values);
    }

    /// <summary>A .npy file as a CPU tensor of its shape (float32 unless <paramref name="dtype"/> says otherwise).</summary>
    public static TorchSharp.torch.Tensor ReadTensor(string path, TorchSharp.torch.ScalarType dtype = TorchSharp.torch.ScalarType.Float32)
    {
        var array = Read(path);
        return TorchSharp.torch.tensor(array.Values, array.Shape, dtype: TorchSharp.torch.ScalarType.Float64).to_type(dtype);
    }

    /// <summary>Every element of an array as double (for comparing typed buffers with references).</summary>
    public static double[] ToDoubles(Array array)
    {
        var result = new double[array.LongLength];
        for (long n = 0; n < result.LongLength; n++)
        {
            result[n] = Convert.ToDouble(array.GetValue(n), System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }
}
