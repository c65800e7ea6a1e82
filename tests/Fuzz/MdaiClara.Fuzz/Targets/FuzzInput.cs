using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace MdaiClara.Fuzz;

/// <summary>How the two targets whose input is more than one file pack their parts into the one byte string AFL mutates.</summary>
public static class FuzzInput
{
    /// <summary>Bytes before an RLE frame: rows (uint16 LE), columns (uint16 LE), samples per pixel, bits allocated.</summary>
    public const int RleDescriptionLength = 6;

    /// <summary>The MMAR files a MmarConfig input holds, in order, separated by a NUL byte.</summary>
    public static readonly IReadOnlyList<string> MmarConfigFiles = new[] { "config/environment.json", "config/config_inference.json", "commands/infer.sh" };

    public static byte[] PackRle(byte[] frame, int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        var packed = new byte[RleDescriptionLength + frame.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(packed, (ushort)rows);
        BinaryPrimitives.WriteUInt16LittleEndian(packed.AsSpan(2), (ushort)columns);
        packed[4] = (byte)samplesPerPixel;
        packed[5] = (byte)bitsAllocated;
        frame.CopyTo(packed, RleDescriptionLength);
        return packed;
    }

    public static (int Rows, int Columns, int SamplesPerPixel, int BitsAllocated, byte[] Frame)? UnpackRle(byte[] input)
    {
        if (input.Length < RleDescriptionLength)
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt16LittleEndian(input), BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(2)), input[4], input[5], input[RleDescriptionLength..]);
    }

    public static byte[] PackMmarConfig(IReadOnlyList<byte[]> files)
    {
        var packed = new List<byte>();
        for (var i = 0; i < files.Count; i++)
        {
            if (i > 0)
            {
                packed.Add(0);
            }

            packed.AddRange(files[i]);
        }

        return packed.ToArray();
    }

    /// <summary>The parts of a MmarConfig input, up to <see cref="MmarConfigFiles"/>.Count; absent parts are absent files.</summary>
    public static IReadOnlyList<byte[]> UnpackMmarConfig(byte[] input)
    {
        var parts = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= input.Length && parts.Count < MmarConfigFiles.Count; i++)
        {
            if (i == input.Length || input[i] == 0)
            {
                parts.Add(input[start..i]);
                start = i + 1;
            }
        }

        return parts;
    }
}
