using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>
/// Copies decoded samples into a volume buffer with the rescale (value × slope + intercept) applied, converting the
/// element type and, for colour, moving from colour-by-pixel to one plane per sample (NIfTI order).
/// </summary>
internal static class SampleConverter
{
    public static void Convert(Array source, Array destination, long offset, int samplesPerPixel, long planeStride, double slope, double intercept)
    {
        // Switch on the exact element type: the CLR lets short[] pass as ushort[] (and sbyte[] as byte[]) in type tests.
        switch (Type.GetTypeCode(source.GetType().GetElementType()))
        {
            case TypeCode.Byte: Dispatch((byte[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            case TypeCode.SByte: Dispatch((sbyte[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            case TypeCode.UInt16: Dispatch((ushort[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            case TypeCode.Int16: Dispatch((short[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            case TypeCode.UInt32: Dispatch((uint[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            case TypeCode.Int32: Dispatch((int[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            case TypeCode.Single: Dispatch((float[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            case TypeCode.Double: Dispatch((double[])source, destination, offset, samplesPerPixel, planeStride, slope, intercept); break;
            default: throw new ArgumentException($"Unsupported sample type {source.GetType()}.", nameof(source));
        }
    }

    /// <summary>
    /// Adds an integral intercept to 16-bit samples in place, modulo 2^16: with the output type chosen to hold every
    /// stored value plus the intercept, the wrapped sum is exactly the rescaled value in the output's signedness.
    /// </summary>
    public static void AddInPlace16(Array buffer, long offset, int count, long intercept)
    {
        if (intercept == 0)
        {
            return;
        }

        // short[] and ushort[] share a layout: view either as ushort.
        var values = ((ushort[])buffer).AsSpan((int)offset, count);
        var add = unchecked((ushort)intercept);
        var vectors = MemoryMarshal.Cast<ushort, Vector<ushort>>(values);
        var addVector = new Vector<ushort>(add);
        for (var n = 0; n < vectors.Length; n++)
        {
            vectors[n] += addVector;
        }

        for (var n = vectors.Length * Vector<ushort>.Count; n < values.Length; n++)
        {
            values[n] = unchecked((ushort)(values[n] + add));
        }
    }

    private static void Dispatch<TIn>(TIn[] source, Array destination, long offset, int spp, long planeStride, double slope, double intercept)
        where TIn : unmanaged, INumberBase<TIn>
    {
        switch (Type.GetTypeCode(destination.GetType().GetElementType()))
        {
            case TypeCode.Byte: Copy(source, (byte[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.SByte: Copy(source, (sbyte[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.UInt16: Copy(source, (ushort[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.Int16: Copy(source, (short[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.UInt32: Copy(source, (uint[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.Int32: Copy(source, (int[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.Int64: Copy(source, (long[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.Single: Copy(source, (float[])destination, offset, spp, planeStride, slope, intercept); break;
            case TypeCode.Double: Copy(source, (double[])destination, offset, spp, planeStride, slope, intercept); break;
            default: throw new ArgumentException($"Unsupported voxel type {destination.GetType()}.", nameof(destination));
        }
    }

    private static void Copy<TIn, TOut>(TIn[] source, TOut[] destination, long offset, int spp, long planeStride, double slope, double intercept)
        where TIn : unmanaged, INumberBase<TIn>
        where TOut : unmanaged, INumberBase<TOut>
    {
        var pixels = source.Length / spp;
        var integral = slope == 1 && intercept == Math.Floor(intercept) && typeof(TOut) != typeof(float) && typeof(TOut) != typeof(double);
        var shift = (long)intercept;
        for (var s = 0; s < spp; s++)
        {
            var target = destination.AsSpan((int)(offset + (s * planeStride)), pixels);
            if (integral)
            {
                // The output type was chosen to hold every stored value plus the intercept; no clamping needed.
                for (var p = 0; p < pixels; p++)
                {
                    target[p] = TOut.CreateTruncating(long.CreateTruncating(source[(p * spp) + s]) + shift);
                }
            }
            else
            {
                for (var p = 0; p < pixels; p++)
                {
                    target[p] = TOut.CreateSaturating((double.CreateTruncating(source[(p * spp) + s]) * slope) + intercept);
                }
            }
        }
    }
}
