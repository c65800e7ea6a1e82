using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Nifti;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Nifti;

/// <summary>
/// Mutated fixtures (random bytes, extreme header fields, truncation, damaged gzip): every read must end in a volume
/// or an <see cref="MdaiClaraException"/>, quickly and without large allocations.
/// </summary>
public sealed class NiftiFuzzTests
{
    private const int CasesPerFixture = 1500;

    /// <summary>Offsets of NIfTI-1 header fields worth hitting: dims, datatype, bitpix, pixdim, vox_offset, scl, codes, quaternion, srow, magic.</summary>
    private static readonly int[] Nifti1Fields = { 40, 42, 44, 46, 48, 50, 70, 72, 76, 80, 84, 88, 108, 112, 116, 252, 254, 256, 260, 264, 280, 296, 312, 344 };

    [Theory]
    [InlineData("cases/dtype_int16.nii", 11)]
    [InlineData("cases/big_endian_float64_qform.nii", 12)]
    [InlineData("cases/qform_only_oblique_qfac_negative.nii.gz", 13)]
    [InlineData("cases/nifti2_int32.nii.gz", 14)]
    [InlineData("cases/scaled_uint16_inter.nii.gz", 15)]
    public void MutatedFilesFailCleanly(string fixture, int seed)
    {
        var original = File.ReadAllBytes(NiftiTestData.Fixture(fixture));
        var compressed = fixture.EndsWith(".gz", StringComparison.Ordinal);
        var plain = compressed ? Gunzip(original) : original;
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var read = 0;
        var refused = 0;
        for (var n = 0; n < CasesPerFixture; n++)
        {
            var mutated = Mutate(plain, original, compressed, random, out var description);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using var stream = new MemoryStream(mutated);
                var volume = NiftiReader.Read(stream, "fuzz");
                Assert.Equal(volume.VoxelCount, volume.GetVoxels().LongLength);
                read++;
            }
            catch (MdaiClaraException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.ErrorId));
                Assert.Contains("fuzz", ex.Message, StringComparison.Ordinal);
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {n} ({description}) of {fixture} threw {ex.GetType().Name}: {ex.Message}");
            }

            // Generous: a scaled volume is at most 8 bytes per voxel of an image that really is in the (decompressed) file.
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < (64L << 20) + (16L * mutated.Length * (compressed ? NiftiInput.MaxDeflateRatio : 1)), $"case {n} ({description}) allocated {allocated} bytes");
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{CasesPerFixture} cases took {clock.Elapsed}");
        Assert.True(read > 0 && refused > 0, $"{read} read, {refused} refused: the mutations should produce both");
    }

    private static byte[] Mutate(byte[] plain, byte[] original, bool compressed, Random random, out string description)
    {
        switch (random.Next(6))
        {
            case 0 when compressed:
            {
                // damage the compressed bytes themselves
                var bytes = (byte[])original.Clone();
                var at = random.Next(10, bytes.Length);
                bytes[at] ^= (byte)random.Next(1, 256);
                description = $"gzip byte {at} flipped";
                return bytes;
            }

            case 1:
            {
                var length = random.Next(plain.Length);
                description = $"truncated to {length}";
                return Pack(plain[..length], compressed);
            }

            case 2 when plain.Length > 348 && BinaryPrimitives.ReadInt32LittleEndian(plain) == 348:
            {
                // one NIfTI-1 field set to an extreme or random value
                var bytes = (byte[])plain.Clone();
                var at = Nifti1Fields[random.Next(Nifti1Fields.Length)];
                var values = new[] { 0, -1, 1, short.MaxValue, short.MinValue, random.Next(), BitConverter.SingleToInt32Bits(float.NaN), BitConverter.SingleToInt32Bits(float.PositiveInfinity), BitConverter.SingleToInt32Bits(1e30f) };
                var value = values[random.Next(values.Length)];
                if (at is >= 40 and < 76 or 252 or 254)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(at), (short)value);
                }
                else
                {
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);
                }

                description = $"field at {at} = {value}";
                return Pack(bytes, compressed);
            }

            default:
            {
                // a few random bytes anywhere in the header (or just past it)
                var bytes = (byte[])plain.Clone();
                var count = random.Next(1, 9);
                description = $"{count} header bytes randomised";
                for (var k = 0; k < count; k++)
                {
                    bytes[random.Next(Math.Min(bytes.Length, 560))] = (byte)random.Next(256);
                }

                return Pack(bytes, compressed);
            }
        }
    }

    private static byte[] Pack(byte[] bytes, bool compress)
    {
        if (!compress)
        {
            return bytes;
        }

        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
