using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>Byte-order reversal of a block of 2-, 4- or 8-byte values in place (vectorised by the runtime).</summary>
internal static class NiftiByteOrder
{
    public static void Reverse(Span<byte> bytes, int valueSize)
    {
        switch (valueSize)
        {
            case 1:
                break;
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(valueSize), valueSize, "Values are 1, 2, 4 or 8 bytes.");
        }
    }
}
