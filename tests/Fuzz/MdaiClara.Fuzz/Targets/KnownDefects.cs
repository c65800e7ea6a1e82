using System;
using System.Buffers.Binary;
using System.IO;

namespace MdaiClara.Fuzz;

/// <summary>
/// Defects found before the harness existed and fixed on their own branch (issue 8, "bad input"): a campaign run with
/// MDAICLARA_FUZZ_SKIP_KNOWN=1 counts them instead of stopping on them, so the fuzzer spends its time on new ground.
/// The corpus replay test never skips them. Remove an entry once its fix is merged.
/// </summary>
public static class KnownDefects
{
    /// <summary>
    /// A short name of the known defect <paramref name="input"/> would hang on, or null: a hang cannot be caught once
    /// it runs (afl-fuzz kills the harness, which ends a persistent SharpFuzz campaign), so such inputs are not run.
    /// </summary>
    public static string? HangBeforeRun(FuzzTarget target, byte[] input)
    {
        // A BMP whose header promises far more pixels than the file holds: StbImageSharp reads them all past the end.
        if (target == FuzzTarget.Picture && input.Length >= 30 && input[0] == (byte)'B' && input[1] == (byte)'M')
        {
            var headerSize = BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(14));
            long width, height;
            int bits;
            if (headerSize == 12)
            {
                (width, height, bits) = (BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(18)), BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(20)), BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(24)));
            }
            else
            {
                (width, height, bits) = (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(input.AsSpan(18))), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(input.AsSpan(22))), BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(28)));
            }

            if (width * height * Math.Max(bits, 1) / 8 > 128L * input.Length)
            {
                return "picture-bmp-size";
            }
        }

        // A JPEG whose segments do not lead to a frame header (a length past the end, a scan first, a byte that is no
        // marker): StbImageSharp keeps reading past the end. Such files are refused by the structural check to come.
        if (target == FuzzTarget.Picture && input.Length >= 4 && input[0] == 0xFF && input[1] == 0xD8)
        {
            var at = 2;
            while (true)
            {
                if (at + 4 > input.Length || input[at] != 0xFF)
                {
                    return "picture-jpeg-structure";
                }

                var marker = input[at + 1];
                if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
                {
                    at += marker == 0xFF ? 1 : 2;
                    continue;
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(at + 2));
                if (length < 2 || at + 2 + length > input.Length || marker == 0xDA || marker == 0xD9 || marker == 0xD8)
                {
                    return "picture-jpeg-structure";
                }

                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
                {
                    break;
                }

                at += 2 + length;
            }
        }

        return null;
    }

    /// <summary>A short name of the known defect <paramref name="error"/> is, or null when it is not one.</summary>
    public static string? Match(FuzzTarget target, Exception error)
    {
        var stack = error.ToString();
        if (target == FuzzTarget.MmarZip && error is InvalidDataException && stack.Contains("System.IO.Compression", StringComparison.Ordinal))
        {
            return "zip-central-directory";
        }

        if (target == FuzzTarget.Dicom && error is OutOfMemoryException && stack.Contains("DicomSeriesAssembler", StringComparison.Ordinal))
        {
            return "dicom-huge-volume";
        }

        if (target == FuzzTarget.MmarConfig && error is OutOfMemoryException && stack.Contains("MmarVariables", StringComparison.Ordinal))
        {
            return "mmar-variable-expansion";
        }

        if (target == FuzzTarget.Picture && error is OutOfMemoryException && stack.Contains("StbImageSharp", StringComparison.Ordinal))
        {
            // A PNG chunk length past the file's end: StbImageSharp allocates it before reading (issue 8 names the check).
            return "picture-chunk-length";
        }

        return null;
    }
}
