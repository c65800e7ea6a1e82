using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom.Codecs;
using Microsoft.Win32.SafeHandles;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>
/// The pixel data of one DICOM file, decoded frame by frame into stored values: colour-by-pixel samples, high bits
/// outside BitsStored cleared, signed values sign-extended from BitsStored, YBR_FULL_422 brought to full resolution.
/// No rescale, LUT or colour conversion is applied (the values pydicom's pixel_array gives, made right where pydicom is
/// not). Bytes are read from the file only when a frame is decoded.
/// </summary>
public sealed class DicomPixelData : IDisposable
{
    private const long MaxFrameSamples = 1L << 30;
    /// <summary>Compressed frames smaller than this many samples are never refused for their ratio (tiny test images, headers).</summary>
    private const long MinCompressedCap = 1L << 16;
    private readonly DicomFile _file;
    private readonly SafeFileHandle? _handle;
    private readonly int _storedShift;
    private readonly bool _swapWords;
    private IReadOnlyList<PixelFragment>? _fragments;
    private IReadOnlyList<(int First, int Count, long Offset, long Length)>? _frames;

    private DicomPixelData(DicomFile file)
    {
        _file = file;
        var ds = file.Dataset;
        var pixel = file.PixelDataElement ?? throw new MdaiClaraException(
            $"{file.Path} has no pixel data (it is not an image: SOP class {ds.GetString(DicomTag.SopClassUid) ?? "unknown"}).",
            ErrorIds.DicomNoPixelData, ErrorKind.InvalidData, file.Path);

        Rows = Required(file, DicomTag.Rows, "Rows");
        Columns = Required(file, DicomTag.Columns, "Columns");
        IsFloat = pixel.Tag != DicomTag.PixelData;
        BitsAllocated = IsFloat ? (pixel.Tag == DicomTag.DoubleFloatPixelData ? 64 : 32) : Required(file, DicomTag.BitsAllocated, "BitsAllocated");
        SamplesPerPixel = (int)(ds.GetInteger(DicomTag.SamplesPerPixel) ?? 1);
        BitsStored = (int)(ds.GetInteger(DicomTag.BitsStored) ?? BitsAllocated);
        PixelRepresentation = (int)(ds.GetInteger(DicomTag.PixelRepresentation) ?? 0);
        PlanarConfiguration = (int)(ds.GetInteger(DicomTag.PlanarConfiguration) ?? 0);
        Photometric = ds.GetString(DicomTag.PhotometricInterpretation)?.Trim() ?? (SamplesPerPixel == 3 ? "RGB" : "MONOCHROME2");
        NumberOfFrames = DicomInstanceHeader.FrameCount(file);
        var highBit = (int)(ds.GetInteger(DicomTag.HighBit) ?? (BitsStored - 1));
        // Old files may keep their stored bits below the top (HighBit < BitsAllocated − 1): shift them down first.
        _storedShift = highBit >= BitsStored - 1 && highBit < BitsAllocated ? highBit + 1 - BitsStored : 0;
        _swapWords = !file.TransferSyntax.LittleEndian && BitsAllocated == 8 && pixel.VR == DicomVR.OW;
        TransferSyntax = file.TransferSyntax;
        if (file.InflatedDataset is null)
        {
            try
            {
                _handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MdaiClaraException($"Cannot read the pixel data of {file.Path}: {ex.Message.TrimEnd('.')}.", ErrorIds.DicomReadFailed, ErrorKind.InvalidData, file.Path, ex);
            }
        }

        try
        {
            Validate(pixel);
        }
        catch
        {
            _handle?.Dispose();
            throw;
        }
    }

    public int Rows { get; }

    public int Columns { get; }

    public int SamplesPerPixel { get; }

    public int BitsAllocated { get; }

    public int BitsStored { get; }

    public int PixelRepresentation { get; }

    public int PlanarConfiguration { get; }

    public string Photometric { get; }

    public int NumberOfFrames { get; }

    public bool IsFloat { get; }

    public TransferSyntax TransferSyntax { get; }

    public bool IsSigned => PixelRepresentation == 1;

    /// <summary>Samples in one decoded frame (rows × columns × samples per pixel).</summary>
    public long FrameSamples => (long)Rows * Columns * SamplesPerPixel;

    /// <summary>The .NET type of decoded samples: byte/sbyte, ushort/short, uint/int, float or double.</summary>
    public Type SampleType => IsFloat ? (BitsAllocated == 64 ? typeof(double) : typeof(float))
        : BitsAllocated <= 8 ? (IsSigned ? typeof(sbyte) : typeof(byte))
        : BitsAllocated <= 16 ? (IsSigned ? typeof(short) : typeof(ushort))
        : (IsSigned ? typeof(int) : typeof(uint));

    public static DicomPixelData Open(DicomFile file) => new(file);

    /// <summary>Decodes frame <paramref name="frame"/> (0-based) into a new array of <see cref="SampleType"/>.</summary>
    public Array DecodeFrame(int frame)
    {
        var result = Array.CreateInstance(SampleType, FrameSamples);
        DecodeFrameInto(frame, result, 0);
        return result;
    }

    /// <summary>
    /// True when frames can be decoded into an array of <paramref name="elementType"/>: <see cref="SampleType"/> itself,
    /// or its signed/unsigned twin of the same size (short[] for ushort samples…), which then holds the samples' bits
    /// for the caller to rescale in place: the CLR lets such arrays stand for each other.
    /// </summary>
    public bool CanHold(Type elementType) =>
        elementType == SampleType || (!IsFloat && elementType.IsPrimitive && elementType != typeof(bool) && elementType != typeof(char)
            && elementType != typeof(float) && elementType != typeof(double)
            && Marshal.SizeOf(elementType) == Marshal.SizeOf(SampleType) && Marshal.SizeOf(elementType) <= 4);

    /// <summary>
    /// Decodes frame <paramref name="frame"/> into <paramref name="destination"/> at an offset: an array of
    /// <see cref="SampleType"/>, or of its same-size twin (see <see cref="CanHold"/>), which receives the same bits.
    /// </summary>
    public void DecodeFrameInto(int frame, Array destination, long offset)
    {
        if (frame < 0 || frame >= NumberOfFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), $"{_file.Path} has {NumberOfFrames} frame(s).");
        }

        if (!CanHold(destination.GetType().GetElementType()!) || offset < 0 || offset + FrameSamples > destination.LongLength)
        {
            throw new ArgumentException($"The destination must be a {SampleType.Name}[] (or its same-size signed/unsigned twin) with room for {FrameSamples} samples.", nameof(destination));
        }

        try
        {
            switch (TransferSyntax.Codec)
            {
                case PixelCodec.Native:
                    DecodeNative(frame, destination, offset);
                    break;
                case PixelCodec.RleLossless:
                    var rle = RleLossless.DecodeFrame(ReadEncapsulatedFrame(frame), Rows, Columns, SamplesPerPixel, BitsAllocated);
                    StoreInterleaved(ToColourByPixel(rle, planar: SamplesPerPixel > 1), destination, offset, littleEndian: true);
                    break;
                case PixelCodec.JpegLossless:
                case PixelCodec.JpegLossy:
                    StoreJpeg(JpegDecoder.Decode(ReadEncapsulatedFrame(frame)), destination, offset);
                    break;
                default:
                    throw new MdaiClaraException(
                        $"{_file.Path} is compressed with {TransferSyntax.Name} ({TransferSyntax.Uid}), which MdaiClara cannot decode. {TransferSyntax.Remedy}",
                        ErrorIds.DicomTransferSyntaxUnsupported, ErrorKind.InvalidData, _file.Path);
            }
        }
        catch (MdaiClaraException ex) when (ex.ErrorId is ErrorIds.RleCorrupt or ErrorIds.RleUnsupported or ErrorIds.JpegCorrupt or ErrorIds.JpegUnsupported)
        {
            // The decoders know the bytes, not the file: say which file and frame.
            throw new MdaiClaraException($"{_file.Path}{(NumberOfFrames > 1 ? $", frame {frame + 1}" : string.Empty)}: {ex.Message}", ex.ErrorId, ex.Kind, _file.Path, ex);
        }
    }

    public void Dispose() => _handle?.Dispose();

    private static int Required(DicomFile file, DicomTag tag, string name)
    {
        var value = file.Dataset.GetInteger(tag);
        if (value is null or <= 0 or > 65535)
        {
            throw new MdaiClaraException($"{file.Path} has no valid {name} {tag}, so its pixel data cannot be interpreted.", ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, file.Path);
        }

        return (int)value.Value;
    }

    /// <summary>
    /// The most samples one byte of a codec's data can decode to, with room to spare: JPEG lossless codes every sample
    /// with a Huffman code of at least one bit (8); lossy JPEG needs at least a DC code and an end-of-block per 8×8 block,
    /// up to 682 samples per byte with 4:2:0 colour (1024); an RLE replicate run writes 128 bytes from 2 (128).
    /// Null for codecs this engine does not decode (they are refused when decoded).
    /// </summary>
    internal static long? SamplesPerCompressedByte(PixelCodec codec) => codec switch
    {
        PixelCodec.JpegLossless => 16,
        PixelCodec.JpegLossy => 1024,
        PixelCodec.RleLossless => 128,
        _ => null,
    };

    private void Validate(DicomElement pixel)
    {
        string? problem = null;
        if (!IsFloat && BitsAllocated is not (1 or 8 or 16 or 32))
        {
            problem = $"BitsAllocated is {BitsAllocated}; 1, 8, 16 or 32 are supported";
        }
        else if (BitsStored < 1 || BitsStored > BitsAllocated)
        {
            problem = $"BitsStored is {BitsStored} with BitsAllocated {BitsAllocated}";
        }
        else if (SamplesPerPixel is not (1 or 3))
        {
            problem = $"SamplesPerPixel (0028,0002) is {SamplesPerPixel}; an image has 1 (grayscale) or 3 (colour) samples per pixel";
        }
        else if (Photometric == "YBR_FULL_422" && TransferSyntax.Codec == PixelCodec.Native && (BitsAllocated != 8 || SamplesPerPixel != 3))
        {
            problem = $"uncompressed YBR_FULL_422 is supported with 3 samples of 8 bits, not {SamplesPerPixel} of {BitsAllocated}; convert it with `gdcmconv --raw --photometric-interpretation RGB in.dcm out.dcm`";
        }
        else if (TransferSyntax.Encapsulated && SamplesPerCompressedByte(TransferSyntax.Codec) is { } ratio
            && (double)FrameSamples * NumberOfFrames > Math.Max(MinCompressedCap, ratio * (double)SourceLength))
        {
            // Decoding (and the series volume) is sized from the header: a tiny file must not claim an enormous image.
            problem = $"{Rows}×{Columns}×{SamplesPerPixel} samples{(NumberOfFrames > 1 ? $" in {NumberOfFrames} frames" : string.Empty)} cannot be held in {SourceLength:N0} bytes of {TransferSyntax.Name} data (it codes at most {ratio} samples per byte); Rows, Columns or NumberOfFrames is wrong, or the file is truncated";
        }
        else if (FrameSamples * NumberOfFrames > MaxFrameSamples * 4 || FrameSamples > MaxFrameSamples)
        {
            problem = $"{Rows}×{Columns}×{SamplesPerPixel} samples in {NumberOfFrames} frames is more than can be held in memory";
        }
        else if (!TransferSyntax.Encapsulated && pixel.ValueLength >= 0)
        {
            var needed = BitsAllocated == 1 ? ((FrameSamples * NumberOfFrames) + 7) / 8 : NativeFrameBytes * NumberOfFrames;
            if (pixel.ValueLength < needed)
            {
                problem = $"the pixel data holds {pixel.ValueLength:N0} bytes but {Rows}×{Columns}×{SamplesPerPixel} samples of {BitsAllocated} bits in {NumberOfFrames} frame(s) need {needed:N0}";
            }
            else if (pixel.ValueOffset + needed > SourceLength)
            {
                throw new MdaiClaraException(
                    $"{_file.Path} is truncated: the file ends {pixel.ValueOffset + needed - SourceLength:N0} bytes before the end of the pixel data it declares.",
                    ErrorIds.DicomTruncated, ErrorKind.InvalidData, _file.Path);
            }
        }
        else if (!TransferSyntax.Encapsulated && pixel.ValueLength < 0)
        {
            problem = $"the pixel data is encapsulated (undefined length) but the transfer syntax {TransferSyntax.Name} is not a compressed one";
        }

        if (problem is not null)
        {
            throw new MdaiClaraException($"{_file.Path}: {problem}.", ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
        }
    }

    /// <summary>Bytes of one uncompressed frame (1-bit frames are counted in bits and rounded up only at the end).</summary>
    private long NativeFrameBytes => BitsAllocated == 1 ? ((FrameSamples * NumberOfFrames) + 7) / 8 / NumberOfFrames
        : Photometric == "YBR_FULL_422" ? (long)Rows * ((Columns + 1) / 2 * 2) * 2 * (BitsAllocated / 8)
        : FrameSamples * (BitsAllocated / 8);

    private void ReadAt(long offset, Span<byte> destination)
    {
        if (_file.InflatedDataset is { } inflated)
        {
            if (offset < 0 || offset + destination.Length > inflated.Length)
            {
                throw Truncated();
            }

            inflated.AsSpan((int)offset, destination.Length).CopyTo(destination);
            return;
        }

        var total = 0;
        while (total < destination.Length)
        {
            var n = RandomAccess.Read(_handle!, destination[total..], offset + total);
            if (n == 0)
            {
                throw Truncated();
            }

            total += n;
        }
    }

    private long SourceLength => _file.InflatedDataset?.LongLength ?? RandomAccess.GetLength(_handle!);

    private MdaiClaraException Truncated() =>
        new($"{_file.Path} is truncated: its pixel data ends before the {Rows}×{Columns} frames it declares.", ErrorIds.DicomTruncated, ErrorKind.InvalidData, _file.Path);

    private void DecodeNative(int frame, Array destination, long offset)
    {
        var pixel = _file.PixelDataElement!;
        if (BitsAllocated == 1)
        {
            // Bit-packed (e.g. segmentations): frames follow each other bit by bit.
            var firstBit = frame * FrameSamples;
            var bytes = new byte[((firstBit % 8) + FrameSamples + 7) / 8];
            ReadAt(pixel.ValueOffset + (firstBit / 8), bytes);
            var dest = (byte[])destination;
            var shift = (int)(firstBit % 8);
            for (long n = 0; n < FrameSamples; n++)
            {
                var bit = n + shift;
                dest[offset + n] = (byte)((bytes[bit / 8] >> (int)(bit % 8)) & 1);
            }

            return;
        }

        var frameBytes = NativeFrameBytes;
        var big = !TransferSyntax.LittleEndian;
        if (!_swapWords && (SamplesPerPixel == 1 || (PlanarConfiguration == 0 && Photometric != "YBR_FULL_422")))
        {
            // The common case: read straight into the destination, then fix byte order and stored bits in place.
            ReadAt(pixel.ValueOffset + (frame * frameBytes), BytesOf(destination, offset, (int)FrameSamples));
            FixUp(destination, offset, (int)FrameSamples, littleEndian: !big);
            return;
        }

        var raw = new byte[frameBytes];
        if (_swapWords)
        {
            // 8-bit samples in an OW value, big endian: the bytes of each 16-bit word were swapped on writing.
            var start = frame * frameBytes;
            var alignedStart = start & ~1L;
            var words = new byte[((start + frameBytes + 1) & ~1L) - alignedStart];
            ReadAt(pixel.ValueOffset + alignedStart, words);
            var asWords = MemoryMarshal.Cast<byte, ushort>(words.AsSpan());
            BinaryPrimitives.ReverseEndianness(asWords, asWords);
            words.AsSpan((int)(start - alignedStart), (int)frameBytes).CopyTo(raw);
        }
        else
        {
            ReadAt(pixel.ValueOffset + (frame * frameBytes), raw);
        }

        if (Photometric == "YBR_FULL_422" && SamplesPerPixel == 3 && BitsAllocated == 8)
        {
            StoreInterleaved(Upsample422(raw), destination, offset, littleEndian: true);
            return;
        }

        StoreInterleaved(ToColourByPixel(raw, planar: PlanarConfiguration == 1 && SamplesPerPixel > 1), destination, offset, littleEndian: !big);
    }

    /// <summary>Y0 Y1 Cb Cr per pixel pair → Y Cb Cr for every pixel (chroma repeated).</summary>
    private byte[] Upsample422(byte[] raw)
    {
        var result = new byte[FrameSamples];
        var evenColumns = (Columns + 1) / 2 * 2;
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c += 2)
            {
                var src = (((long)r * evenColumns) + c) * 2;
                var y0 = raw[src];
                var y1 = raw[src + 1];
                var cb = raw[src + 2];
                var cr = raw[src + 3];
                var dst = (((long)r * Columns) + c) * 3;
                result[dst] = y0;
                result[dst + 1] = cb;
                result[dst + 2] = cr;
                if (c + 1 < Columns)
                {
                    result[dst + 3] = y1;
                    result[dst + 4] = cb;
                    result[dst + 5] = cr;
                }
            }
        }

        return result;
    }

    /// <summary>Colour-by-plane bytes → colour-by-pixel bytes (no-op for one sample or when already by pixel).</summary>
    private byte[] ToColourByPixel(byte[] raw, bool planar)
    {
        if (!planar)
        {
            return raw;
        }

        var bytesPerSample = Math.Max(1, BitsAllocated / 8);
        var pixels = (long)Rows * Columns;
        var result = new byte[raw.Length];
        for (var s = 0; s < SamplesPerPixel; s++)
        {
            for (long p = 0; p < pixels; p++)
            {
                var src = ((s * pixels) + p) * bytesPerSample;
                var dst = ((p * SamplesPerPixel) + s) * bytesPerSample;
                for (var b = 0; b < bytesPerSample; b++)
                {
                    result[dst + b] = raw[src + b];
                }
            }
        }

        return result;
    }

    /// <summary>Raw little/big-endian samples → the destination type, with BitsStored masking and sign extension.</summary>
    private void StoreInterleaved(byte[] raw, Array destination, long offset, bool littleEndian)
    {
        var count = (int)FrameSamples;
        var target = BytesOf(destination, offset, count);
        raw.AsSpan(0, target.Length).CopyTo(target);
        FixUp(destination, offset, count, littleEndian);
    }

    /// <summary>The bytes behind <paramref name="count"/> elements of a typed array, from <paramref name="offset"/>.</summary>
    private static Span<byte> BytesOf(Array destination, long offset, int count)
    {
        // Switch on the exact element type: the CLR lets short[] pass as ushort[] (and sbyte[] as byte[]) in type tests.
        return Type.GetTypeCode(destination.GetType().GetElementType()) switch
        {
            TypeCode.Byte => ((byte[])destination).AsSpan((int)offset, count),
            TypeCode.SByte => MemoryMarshal.AsBytes(((sbyte[])destination).AsSpan((int)offset, count)),
            TypeCode.UInt16 => MemoryMarshal.AsBytes(((ushort[])destination).AsSpan((int)offset, count)),
            TypeCode.Int16 => MemoryMarshal.AsBytes(((short[])destination).AsSpan((int)offset, count)),
            TypeCode.UInt32 => MemoryMarshal.AsBytes(((uint[])destination).AsSpan((int)offset, count)),
            TypeCode.Int32 => MemoryMarshal.AsBytes(((int[])destination).AsSpan((int)offset, count)),
            TypeCode.Single => MemoryMarshal.AsBytes(((float[])destination).AsSpan((int)offset, count)),
            TypeCode.Double => MemoryMarshal.AsBytes(((double[])destination).AsSpan((int)offset, count)),
            _ => throw new ArgumentException($"Unsupported sample type {destination.GetType()}.", nameof(destination)),
        };
    }

    /// <summary>In place: file byte order → machine order, bits above BitsStored cleared (unsigned) or sign-extended (signed).</summary>
    private void FixUp(Array destination, long offset, int count, bool littleEndian)
    {
        var swap = littleEndian != BitConverter.IsLittleEndian;
        switch (Type.GetTypeCode(SampleType))
        {
            case TypeCode.Byte:
                if (BitsStored < 8)
                {
                    var u8 = ((byte[])destination).AsSpan((int)offset, count);
                    var mask = (byte)((1 << BitsStored) - 1);
                    for (var n = 0; n < u8.Length; n++)
                    {
                        u8[n] = (byte)((u8[n] >> _storedShift) & mask);
                    }
                }

                break;
            case TypeCode.SByte:
                if (BitsStored < 8)
                {
                    var s8 = ((sbyte[])destination).AsSpan((int)offset, count);
                    for (var n = 0; n < s8.Length; n++)
                    {
                        s8[n] = (sbyte)SignExtend(s8[n] >> _storedShift, BitsStored);
                    }
                }

                break;
            case TypeCode.UInt16:
            {
                var u16 = ((ushort[])destination).AsSpan((int)offset, count);
                if (swap)
                {
                    BinaryPrimitives.ReverseEndianness(u16, u16);
                }

                if (BitsStored < 16)
                {
                    MaskStoredBits(u16, _storedShift, (ushort)((1 << BitsStored) - 1));
                }

                break;
            }

            case TypeCode.Int16:
            {
                var s16 = ((short[])destination).AsSpan((int)offset, count);
                if (swap)
                {
                    BinaryPrimitives.ReverseEndianness(s16, s16);
                }

                if (BitsStored < 16)
                {
                    // Move the high bit to the top, then shift down arithmetically: drops the bits outside, extends the sign.
                    SignExtendStoredBits(s16, 16 - BitsStored - _storedShift, 16 - BitsStored);
                }

                break;
            }

            case TypeCode.UInt32:
            {
                var u32 = ((uint[])destination).AsSpan((int)offset, count);
                if (swap)
                {
                    BinaryPrimitives.ReverseEndianness(u32, u32);
                }

                if (BitsStored < 32)
                {
                    var mask = (1u << BitsStored) - 1;
                    var down = _storedShift;
                    for (var n = 0; n < u32.Length; n++)
                    {
                        u32[n] = (u32[n] >> down) & mask;
                    }
                }

                break;
            }

            case TypeCode.Int32:
            {
                var s32 = ((int[])destination).AsSpan((int)offset, count);
                if (swap)
                {
                    BinaryPrimitives.ReverseEndianness(s32, s32);
                }

                if (BitsStored < 32)
                {
                    var up = 32 - BitsStored - _storedShift;
                    var down = 32 - BitsStored;
                    for (var n = 0; n < s32.Length; n++)
                    {
                        s32[n] = (s32[n] << up) >> down;
                    }
                }

                break;
            }

            case TypeCode.Single:
                if (swap)
                {
                    var bits = MemoryMarshal.Cast<float, uint>(((float[])destination).AsSpan((int)offset, count));
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }

                break;
            case TypeCode.Double:
                if (swap)
                {
                    var bits = MemoryMarshal.Cast<double, ulong>(((double[])destination).AsSpan((int)offset, count));
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }

                break;
        }
    }

    /// <summary>value = (value &gt;&gt; down) &amp; mask, a vector at a time (this runs over every voxel of most CT series).</summary>
    private static void MaskStoredBits(Span<ushort> values, int down, ushort mask)
    {
        var vectors = MemoryMarshal.Cast<ushort, Vector<ushort>>(values);
        var maskVector = new Vector<ushort>(mask);
        for (var n = 0; n < vectors.Length; n++)
        {
            vectors[n] = Vector.ShiftRightLogical(vectors[n], down) & maskVector;
        }

        for (var n = vectors.Length * Vector<ushort>.Count; n < values.Length; n++)
        {
            values[n] = (ushort)((values[n] >> down) & mask);
        }
    }

    /// <summary>value = (value &lt;&lt; up) &gt;&gt; down (arithmetic), a vector at a time.</summary>
    private static void SignExtendStoredBits(Span<short> values, int up, int down)
    {
        var vectors = MemoryMarshal.Cast<short, Vector<short>>(values);
        for (var n = 0; n < vectors.Length; n++)
        {
            vectors[n] = Vector.ShiftRightArithmetic(Vector.ShiftLeft(vectors[n], up), down);
        }

        for (var n = vectors.Length * Vector<short>.Count; n < values.Length; n++)
        {
            values[n] = (short)((short)(values[n] << up) >> down);
        }
    }

    private static int SignExtend(int value, int bits) => (value << (32 - bits)) >> (32 - bits);

    private void StoreJpeg(JpegImage image, Array destination, long offset)
    {
        if (image.Width != Columns || image.Height != Rows || image.Components != SamplesPerPixel)
        {
            throw new MdaiClaraException(
                $"{_file.Path}: the JPEG frame is {image.Width}×{image.Height} with {image.Components} component(s), but the data set says {Columns}×{Rows} with {SamplesPerPixel}.",
                ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
        }

        var samples = image.Samples;
        var count = (int)FrameSamples;
        switch (Type.GetTypeCode(SampleType))
        {
            case TypeCode.Byte:
                var u8 = (byte[])destination;
                for (var n = 0; n < count; n++)
                {
                    u8[offset + n] = (byte)samples[n];
                }

                break;
            case TypeCode.SByte:
                var s8 = (sbyte[])destination;
                for (var n = 0; n < count; n++)
                {
                    s8[offset + n] = (sbyte)SignExtend(samples[n], Math.Min(BitsStored, 8));
                }

                break;
            case TypeCode.UInt16:
                samples.AsSpan(0, count).CopyTo(((ushort[])destination).AsSpan((int)offset, count));
                break;
            case TypeCode.Int16:
                var s16 = (short[])destination;
                // JPEG carries the stored bit pattern; DICOM's signedness comes from PixelRepresentation and BitsStored.
                var bits = Math.Min(BitsStored, 16);
                for (var n = 0; n < count; n++)
                {
                    s16[offset + n] = (short)SignExtend(samples[n], bits);
                }

                break;
            case TypeCode.UInt32:
                var u32 = (uint[])destination;
                for (var n = 0; n < count; n++)
                {
                    u32[offset + n] = samples[n];
                }

                break;
            case TypeCode.Int32:
                var s32 = (int[])destination;
                for (var n = 0; n < count; n++)
                {
                    s32[offset + n] = SignExtend(samples[n], Math.Min(BitsStored, 32));
                }

                break;
            default:
                throw new MdaiClaraException($"{_file.Path}: float pixel data cannot be JPEG-compressed.", ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
        }
    }

    /// <summary>The bytes of one compressed frame: its fragments, concatenated.</summary>
    private byte[] ReadEncapsulatedFrame(int frame)
    {
        var frames = FrameMap();
        var (first, count, _, _) = frames[frame];
        var fragments = _fragments!;
        var total = 0L;
        for (var n = first; n < first + count; n++)
        {
            total += fragments[n].Length;
        }

        if (total > int.MaxValue - 64)
        {
            throw new MdaiClaraException($"{_file.Path}: frame {frame + 1} is larger than 2 GB.", ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
        }

        var bytes = new byte[total];
        var at = 0;
        for (var n = first; n < first + count; n++)
        {
            ReadAt(fragments[n].Offset, bytes.AsSpan(at, fragments[n].Length));
            at += fragments[n].Length;
        }

        return bytes;
    }

    /// <summary>Which fragments make each frame: the offset tables when present, else one fragment per frame, else JPEG end markers.</summary>
    private IReadOnlyList<(int First, int Count, long Offset, long Length)> FrameMap()
    {
        if (_frames is not null)
        {
            return _frames;
        }

        var (offsetTable, fragments) = ReadFragments();
        _fragments = fragments;
        if (fragments.Count == 0)
        {
            throw new MdaiClaraException($"{_file.Path}: the encapsulated pixel data holds no fragments.", ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
        }

        var frames = new List<(int, int, long, long)>();
        if (NumberOfFrames == 1)
        {
            frames.Add((0, fragments.Count, 0, 0));
        }
        else if (fragments.Count == NumberOfFrames)
        {
            for (var n = 0; n < fragments.Count; n++)
            {
                frames.Add((n, 1, 0, 0));
            }
        }
        else if (offsetTable.Count == NumberOfFrames)
        {
            // Basic Offset Table: byte offsets from the first fragment's item tag.
            var starts = new List<long>();
            long position = 0;
            foreach (var f in fragments)
            {
                starts.Add(position);
                position += f.Length + 8;
            }

            for (var n = 0; n < NumberOfFrames; n++)
            {
                var first = starts.IndexOf(offsetTable[n]);
                var next = n + 1 < NumberOfFrames ? starts.IndexOf(offsetTable[n + 1]) : fragments.Count;
                if (first < 0 || next < 0 || next <= first)
                {
                    throw new MdaiClaraException($"{_file.Path}: the Basic Offset Table does not point at fragment boundaries.", ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
                }

                frames.Add((first, next - first, 0, 0));
            }
        }
        else if (TransferSyntax.Codec is PixelCodec.JpegLossless or PixelCodec.JpegLossy)
        {
            // No usable table: a JPEG frame ends with the EOI marker (FF D9), possibly followed by one padding byte.
            var first = 0;
            for (var n = 0; n < fragments.Count; n++)
            {
                if (EndsWithEoi(fragments[n]))
                {
                    frames.Add((first, n - first + 1, 0, 0));
                    first = n + 1;
                }
            }
        }

        if (frames.Count != NumberOfFrames)
        {
            throw new MdaiClaraException(
                $"{_file.Path}: cannot tell which of the {fragments.Count} fragments belong to each of the {NumberOfFrames} frames (no usable offset table).",
                ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
        }

        _frames = frames;
        return frames;
    }

    private bool EndsWithEoi(PixelFragment fragment)
    {
        Span<byte> tail = stackalloc byte[3];
        var length = Math.Min(3, fragment.Length);
        ReadAt(fragment.Offset + fragment.Length - length, tail[..length]);
        var t = tail[..length];
        return (t.Length >= 2 && t[^2] == 0xFF && t[^1] == 0xD9) || (t.Length == 3 && t[0] == 0xFF && t[1] == 0xD9 && t[2] == 0x00);
    }

    /// <summary>Walks the items of encapsulated pixel data: the Basic Offset Table, then the fragments.</summary>
    private (List<long> OffsetTable, List<PixelFragment> Fragments) ReadFragments()
    {
        var pixel = _file.PixelDataElement!;
        if (pixel.ValueLength >= 0)
        {
            throw new MdaiClaraException(
                $"{_file.Path}: the transfer syntax {TransferSyntax.Name} is compressed, but the pixel data has a defined length instead of fragments.",
                ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
        }

        var end = SourceLength;
        var position = pixel.ValueOffset;
        var offsets = new List<long>();
        var fragments = new List<PixelFragment>();
        Span<byte> header = stackalloc byte[8];
        var first = true;
        while (true)
        {
            if (position + 8 > end)
            {
                // Files that end without the sequence delimiter are common enough to accept.
                break;
            }

            ReadAt(position, header);
            var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(header), BinaryPrimitives.ReadUInt16LittleEndian(header[2..]));
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (tag == DicomTag.SequenceDelimitation)
            {
                break;
            }

            if (tag != DicomTag.Item || length == 0xFFFFFFFF || position + 8 + length > end)
            {
                throw new MdaiClaraException(
                    $"{_file.Path}: the encapsulated pixel data is malformed at byte {position:N0} ({(tag != DicomTag.Item ? $"{tag} where an item must be" : "an item runs past the end of the file")}).",
                    ErrorIds.DicomPixelDataInvalid, ErrorKind.InvalidData, _file.Path);
            }

            if (first)
            {
                var table = new byte[length];
                ReadAt(position + 8, table);
                for (var n = 0; n + 4 <= table.Length; n += 4)
                {
                    offsets.Add(BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(n)));
                }

                first = false;
            }
            else
            {
                fragments.Add(new PixelFragment(position + 8, (int)length));
            }

            position += 8 + length;
        }

        return (offsets, fragments);
    }
}
