using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// Decodes the JPEG codestreams DICOM uses (ITU T.81): lossless (SOF3, process 14 with every predictor), baseline
/// (SOF0) and extended sequential (SOF1, 8 and 12-bit) DCT, all with Huffman coding, interleaved or not, with restart
/// markers. Progressive, arithmetic-coded, hierarchical, JPEG-LS and JPEG 2000 streams are refused with an error that
/// names the process and the remedy.
/// </summary>
public static class JpegDecoder
{
    /// <summary>Largest image accepted, in samples (width x height x components): 1 GiB of output.</summary>
    private const long MaxSamples = 1L << 29;

    private const int MaxComponents = 4;

    /// <summary>Decodes a complete codestream (SOI ... EOI) into samples interleaved colour-by-pixel.</summary>
    public static JpegImage Decode(ReadOnlySpan<byte> codestream)
    {
        var state = new DecoderState();
        if (codestream.Length >= 2 && codestream[0] == 0xFF && codestream[1] == 0x4F)
        {
            throw CodecErrors.JpegUnsupported("a JPEG 2000 codestream (SOC marker), not ITU T.81 JPEG");
        }

        if (codestream.Length < 2 || codestream[0] != 0xFF || codestream[1] != JpegMarker.Soi)
        {
            throw CodecErrors.JpegCorrupt("the data does not start with the SOI marker (FF D8).");
        }

        int position = 2;
        while (true)
        {
            int markerAt = SkipFill(codestream, position);
            if (markerAt + 1 >= codestream.Length)
            {
                // No EOI: accept a stream that ends after complete scans, as DICOM fragments sometimes do.
                if (state.Frame is not null && state.AllComponentsDecoded)
                {
                    break;
                }

                throw CodecErrors.JpegCorrupt($"the data ends at offset {codestream.Length} before the image is complete (no EOI marker).");
            }

            if (codestream[markerAt] != 0xFF)
            {
                throw CodecErrors.JpegCorrupt($"expected a marker at offset {markerAt}, found byte 0x{codestream[markerAt]:X2}.");
            }

            byte marker = codestream[markerAt + 1];
            position = markerAt + 2;
            if (marker == JpegMarker.Eoi)
            {
                break;
            }

            if (JpegMarker.IsStandalone(marker))
            {
                if (marker >= JpegMarker.Rst0 && marker <= JpegMarker.Rst7)
                {
                    throw CodecErrors.JpegCorrupt($"restart marker RST{marker - JpegMarker.Rst0} at offset {markerAt} is outside a scan.");
                }

                if (marker == JpegMarker.Soi)
                {
                    throw CodecErrors.JpegCorrupt($"a second SOI marker at offset {markerAt}.");
                }

                continue;
            }

            string? unsupported = JpegMarker.DescribeUnsupported(marker);
            if (unsupported is not null)
            {
                throw CodecErrors.JpegUnsupported(unsupported);
            }

            ReadOnlySpan<byte> segment = ReadSegment(codestream, markerAt);
            position = markerAt + 2 + segment.Length + 2;
            switch (marker)
            {
                case JpegMarker.Sof0Baseline:
                case JpegMarker.Sof1Extended:
                case JpegMarker.Sof3Lossless:
                    state.Frame = ReadFrame(marker, segment, state.Frame, markerAt);
                    break;
                case JpegMarker.Dht:
                    ReadHuffmanTables(segment, state);
                    break;
                case JpegMarker.Dqt:
                    ReadQuantizationTables(segment, state);
                    break;
                case JpegMarker.Dri:
                    state.RestartInterval = segment.Length >= 2
                        ? BinaryPrimitives.ReadUInt16BigEndian(segment)
                        : throw CodecErrors.JpegCorrupt($"the DRI segment at offset {markerAt} is shorter than 2 bytes.");
                    break;
                case JpegMarker.Sos:
                    position = DecodeScan(codestream, segment, position, state, markerAt);
                    break;
                case JpegMarker.App0:
                    state.HasJfif |= segment.Length >= 5 && segment[..5].SequenceEqual("JFIF\0"u8);
                    break;
                case JpegMarker.App14:
                    if (segment.Length >= 12 && segment[..5].SequenceEqual("Adobe"u8))
                    {
                        state.AdobeTransform = segment[11];
                    }

                    break;
                case JpegMarker.Dnl:
                    break;
                default:
                    if (JpegMarker.IsStartOfFrame(marker))
                    {
                        throw CodecErrors.JpegUnsupported($"start-of-frame marker 0x{marker:X2}");
                    }

                    // APPn, COM and reserved markers with a length: nothing the decoder needs.
                    break;
            }
        }

        return Assemble(state);
    }

    /// <summary>Offset of the next marker (an 0xFF followed by neither 0x00 nor 0xFF) at or after <paramref name="start"/>, or -1.</summary>
    internal static int FindNextMarker(ReadOnlySpan<byte> data, int start)
    {
        for (int i = Math.Max(start, 0); i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] != 0x00 && data[i + 1] != 0xFF)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Skips the optional 0xFF fill bytes before a marker; returns the offset of the marker's 0xFF.</summary>
    private static int SkipFill(ReadOnlySpan<byte> data, int position)
    {
        while (position + 1 < data.Length && data[position] == 0xFF && data[position + 1] == 0xFF)
        {
            position++;
        }

        return position;
    }

    /// <summary>The payload of a marker segment (after its 2-byte length field), checked against the data size.</summary>
    private static ReadOnlySpan<byte> ReadSegment(ReadOnlySpan<byte> data, int markerAt)
    {
        if (markerAt + 4 > data.Length)
        {
            throw CodecErrors.JpegCorrupt($"marker 0x{data[markerAt + 1]:X2} at offset {markerAt} is cut off before its length field.");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(markerAt + 2));
        if (length < 2 || markerAt + 2 + length > data.Length)
        {
            throw CodecErrors.JpegCorrupt(
                $"marker 0x{data[markerAt + 1]:X2} at offset {markerAt} has length {length}, which runs past the end of the data ({data.Length} bytes).");
        }

        return data.Slice(markerAt + 4, length - 2);
    }

    private static JpegFrame ReadFrame(byte marker, ReadOnlySpan<byte> segment, JpegFrame? existing, int markerAt)
    {
        if (existing is not null)
        {
            throw CodecErrors.JpegCorrupt($"a second frame header (SOF) at offset {markerAt}; only one frame is allowed.");
        }

        if (segment.Length < 6)
        {
            throw CodecErrors.JpegCorrupt($"the frame header at offset {markerAt} is shorter than 6 bytes.");
        }

        JpegProcess process = marker switch
        {
            JpegMarker.Sof0Baseline => JpegProcess.Baseline,
            JpegMarker.Sof1Extended => JpegProcess.ExtendedSequential,
            _ => JpegProcess.Lossless,
        };
        int precision = segment[0];
        int height = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(1));
        int width = BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(3));
        int componentCount = segment[5];

        bool precisionValid = process switch
        {
            JpegProcess.Baseline => precision == 8,
            JpegProcess.ExtendedSequential => precision == 8 || precision == 12,
            _ => precision >= 2 && precision <= 16,
        };
        if (!precisionValid)
        {
            throw CodecErrors.JpegCorrupt($"sample precision {precision} is not allowed for {Describe(process)} frames.");
        }

        if (height == 0)
        {
            throw CodecErrors.JpegUnsupported("a frame height of 0 (the height is given later by a DNL marker)");
        }

        if (width == 0)
        {
            throw CodecErrors.JpegCorrupt("the frame width is 0.");
        }

        if (componentCount < 1 || componentCount > MaxComponents)
        {
            throw componentCount < 1
                ? CodecErrors.JpegCorrupt("the frame has no components.")
                : CodecErrors.JpegUnsupported($"{componentCount} image components (at most {MaxComponents} are supported)");
        }

        if (segment.Length < 6 + (3 * componentCount))
        {
            throw CodecErrors.JpegCorrupt($"the frame header at offset {markerAt} is too short for {componentCount} components.");
        }

        if ((long)width * height * componentCount > MaxSamples)
        {
            throw CodecErrors.JpegUnsupported($"an image of {width} x {height} x {componentCount} samples (more than {MaxSamples} samples)");
        }

        var components = new JpegComponent[componentCount];
        for (int i = 0; i < componentCount; i++)
        {
            ReadOnlySpan<byte> entry = segment.Slice(6 + (3 * i), 3);
            int h = entry[1] >> 4;
            int v = entry[1] & 15;
            if (h < 1 || h > 4 || v < 1 || v > 4)
            {
                throw CodecErrors.JpegCorrupt($"component {entry[0]} has sampling factors {h}x{v}; each must be 1..4.");
            }

            if (entry[2] > 3 && process != JpegProcess.Lossless)
            {
                throw CodecErrors.JpegCorrupt($"component {entry[0]} refers to quantization table {entry[2]}; tables are 0..3.");
            }

            for (int j = 0; j < i; j++)
            {
                if (components[j].Id == entry[0])
                {
                    throw CodecErrors.JpegCorrupt($"component id {entry[0]} appears twice in the frame header.");
                }
            }

            components[i] = new JpegComponent(entry[0], h, v, entry[2] & 3);
        }

        var frame = new JpegFrame(process, precision, width, height, components);
        foreach (JpegComponent component in components)
        {
            if (frame.MaxHorizontalFactor % component.HorizontalFactor != 0 || frame.MaxVerticalFactor % component.VerticalFactor != 0)
            {
                throw CodecErrors.JpegUnsupported(
                    $"sampling factors {component.HorizontalFactor}x{component.VerticalFactor} that do not divide the largest ones " +
                    $"({frame.MaxHorizontalFactor}x{frame.MaxVerticalFactor})");
            }
        }

        return frame;
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> segment, DecoderState state)
    {
        while (segment.Length > 0)
        {
            if (segment.Length < 17)
            {
                throw CodecErrors.JpegCorrupt("a DHT segment ends inside a table's code-length counts.");
            }

            int tableClass = segment[0] >> 4;
            int tableId = segment[0] & 15;
            if (tableClass > 1 || tableId > 3)
            {
                throw CodecErrors.JpegCorrupt($"a DHT segment defines table class {tableClass}, id {tableId}; class must be 0/1 and id 0..3.");
            }

            ReadOnlySpan<byte> counts = segment.Slice(1, 16);
            int symbolCount = 0;
            foreach (byte count in counts)
            {
                symbolCount += count;
            }

            if (symbolCount > 256 || segment.Length < 17 + symbolCount)
            {
                throw CodecErrors.JpegCorrupt(
                    $"Huffman table {(tableClass == 0 ? "DC" : "AC")}{tableId} lists {symbolCount} symbols, more than 256 or than the segment holds.");
            }

            HuffmanTable table = HuffmanTable.Create(counts, segment.Slice(17, symbolCount), tableClass, tableId);
            (tableClass == 0 ? state.DcTables : state.AcTables)[tableId] = table;
            segment = segment.Slice(17 + symbolCount);
        }
    }

    private static void ReadQuantizationTables(ReadOnlySpan<byte> segment, DecoderState state)
    {
        while (segment.Length > 0)
        {
            int entryBytes = (segment[0] >> 4) == 0 ? 1 : 2;
            int tableId = segment[0] & 15;
            if ((segment[0] >> 4) > 1 || tableId > 3)
            {
                throw CodecErrors.JpegCorrupt($"a DQT segment defines table {tableId} with precision code {segment[0] >> 4}; expected id 0..3, precision 0/1.");
            }

            if (segment.Length < 1 + (64 * entryBytes))
            {
                throw CodecErrors.JpegCorrupt($"a DQT segment ends inside quantization table {tableId}.");
            }

            var table = new ushort[64];
            for (int k = 0; k < 64; k++)
            {
                table[k] = entryBytes == 1 ? segment[1 + k] : BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(1 + (2 * k)));
            }

            state.QuantizationTables[tableId] = table;
            segment = segment.Slice(1 + (64 * entryBytes));
        }
    }

    /// <summary>Reads a scan header, decodes the scan's entropy-coded data, and returns the offset after it.</summary>
    private static int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> header, int dataStart, DecoderState state, int markerAt)
    {
        JpegFrame frame = state.Frame ?? throw CodecErrors.JpegCorrupt($"a scan (SOS at offset {markerAt}) comes before any frame header (SOF).");
        if (header.Length < 1 || header[0] < 1 || header[0] > frame.Components.Length || header.Length < 1 + (2 * header[0]) + 3)
        {
            throw CodecErrors.JpegCorrupt($"the scan header at offset {markerAt} is malformed (component count or length).");
        }

        int count = header[0];
        bool lossless = frame.Process == JpegProcess.Lossless;
        var components = new JpegComponent[count];
        var dcTables = new HuffmanTable[count];
        var acTables = lossless ? Array.Empty<HuffmanTable>() : new HuffmanTable[count];
        var quantizationTables = lossless ? Array.Empty<ushort[]>() : new ushort[count][];
        int blocksPerMcu = 0;
        for (int i = 0; i < count; i++)
        {
            byte id = header[1 + (2 * i)];
            int dcId = header[2 + (2 * i)] >> 4;
            int acId = header[2 + (2 * i)] & 15;
            JpegComponent component = Array.Find(frame.Components, c => c.Id == id)
                ?? throw CodecErrors.JpegCorrupt($"the scan at offset {markerAt} names component {id}, which the frame does not have.");
            if (component.Decoded || Array.IndexOf(components, component) >= 0)
            {
                throw CodecErrors.JpegCorrupt($"component {id} is coded in more than one scan (or twice in one); sequential streams code it once.");
            }

            components[i] = component;
            blocksPerMcu += component.HorizontalFactor * component.VerticalFactor;
            dcTables[i] = (dcId < 4 ? state.DcTables[dcId] : null)
                ?? throw CodecErrors.JpegCorrupt($"the scan at offset {markerAt} uses Huffman table DC{dcId}, which no DHT segment defined.");
            if (!lossless)
            {
                acTables[i] = (acId < 4 ? state.AcTables[acId] : null)
                    ?? throw CodecErrors.JpegCorrupt($"the scan at offset {markerAt} uses Huffman table AC{acId}, which no DHT segment defined.");
                quantizationTables[i] = state.QuantizationTables[component.QuantizationTableId]
                    ?? throw CodecErrors.JpegCorrupt($"component {id} uses quantization table {component.QuantizationTableId}, which no DQT segment defined.");
            }
        }

        if (count > 1 && blocksPerMcu > 10)
        {
            throw CodecErrors.JpegCorrupt($"the scan at offset {markerAt} has {blocksPerMcu} data units per MCU; at most 10 are allowed.");
        }

        int tail = 1 + (2 * count);
        int spectralStart = header[tail];
        int spectralEnd = header[tail + 1];
        int approximationHigh = header[tail + 2] >> 4;
        int approximationLow = header[tail + 2] & 15;
        if (lossless)
        {
            if (spectralStart < 1 || spectralStart > 7)
            {
                throw CodecErrors.JpegCorrupt($"lossless predictor (selection value) {spectralStart} is outside 1..7.");
            }

            if (approximationLow >= frame.Precision)
            {
                throw CodecErrors.JpegCorrupt($"point transform {approximationLow} is not below the precision {frame.Precision}.");
            }
        }
        // A sequential scan should say Ss=0, Se=63, Ah=Al=0. Some encoders write other values there (pydicom's
        // JPEG-lossy.dcm has Se=0); libjpeg, and so GDCM and pydicom, warn and decode the scan as sequential anyway.
        // The fields carry no information for a sequential scan, so they are ignored here too.

        GuardDataSize(data.Length - dataStart, frame, components, markerAt);
        foreach (JpegComponent component in components)
        {
            component.Plane = new ushort[(long)component.PlaneStride * component.PlaneRows];
        }

        var scan = new JpegScan(components, dcTables, acTables, quantizationTables)
        {
            Predictor = spectralStart,
            PointTransform = approximationLow,
            RestartInterval = state.RestartInterval,
        };
        if (state.FirstScan is null)
        {
            state.FirstScan = scan;
        }

        int end = lossless
            ? LosslessScanDecoder.Decode(data, dataStart, frame, scan)
            : SequentialDctScanDecoder.Decode(data, dataStart, frame, scan);
        foreach (JpegComponent component in components)
        {
            component.Decoded = true;
            if (lossless && scan.PointTransform > 0)
            {
                ShiftLeft(component, scan.PointTransform);
            }
        }

        // The next marker follows the scan's last byte (skipping anything a lenient encoder left in between).
        int next = FindNextMarker(data, end);
        return next < 0 ? data.Length : next;
    }

    /// <summary>
    /// Refuses, before allocating, a scan whose data cannot possibly hold its samples: every lossless sample and every
    /// DCT block takes at least one bit.
    /// </summary>
    private static void GuardDataSize(int bytesLeft, JpegFrame frame, JpegComponent[] components, int markerAt)
    {
        long unitsNeeded = 0;
        foreach (JpegComponent component in components)
        {
            unitsNeeded += frame.Process == JpegProcess.Lossless
                ? (long)component.Width * component.Height
                : (long)JpegFrame.DivideRoundingUp(component.Width, 8) * JpegFrame.DivideRoundingUp(component.Height, 8);
        }

        if (unitsNeeded > 8L * bytesLeft)
        {
            throw CodecErrors.JpegCorrupt(
                $"the scan at offset {markerAt} needs at least {unitsNeeded} bits for a {frame.Width} x {frame.Height} image, " +
                $"but only {bytesLeft} bytes follow; the stream is truncated or its size fields are wrong.");
        }
    }

    private static void ShiftLeft(JpegComponent component, int bits)
    {
        Span<ushort> plane = component.Plane;
        for (int i = 0; i < plane.Length; i++)
        {
            plane[i] = (ushort)(plane[i] << bits);
        }
    }

    /// <summary>Interleaves the decoded planes colour-by-pixel, upsampling subsampled components.</summary>
    private static JpegImage Assemble(DecoderState state)
    {
        JpegFrame frame = state.Frame ?? throw CodecErrors.JpegCorrupt("the stream has no frame header (SOF).");
        foreach (JpegComponent component in frame.Components)
        {
            if (!component.Decoded)
            {
                throw CodecErrors.JpegCorrupt($"component {component.Id} is in no scan; the stream ends before the image is complete.");
            }
        }

        int channels = frame.Components.Length;
        var samples = new ushort[(long)frame.Width * frame.Height * channels];
        for (int c = 0; c < channels; c++)
        {
            JpegComponent component = frame.Components[c];
            int hFactor = frame.MaxHorizontalFactor / component.HorizontalFactor;
            int vFactor = frame.MaxVerticalFactor / component.VerticalFactor;
            ChromaUpsampler.Write(component, hFactor, vFactor, samples, frame.Width, frame.Height, c, channels);
        }

        var ids = new List<byte>(channels);
        foreach (JpegComponent component in frame.Components)
        {
            ids.Add(component.Id);
        }

        JpegScan? first = state.FirstScan;
        bool lossless = frame.Process == JpegProcess.Lossless;
        return new JpegImage(frame.Width, frame.Height, channels, frame.Precision, samples)
        {
            Process = frame.Process,
            HasJfif = state.HasJfif,
            AdobeTransform = state.AdobeTransform,
            ComponentIds = ids,
            Predictor = lossless && first is not null ? first.Predictor : 0,
            PointTransform = lossless && first is not null ? first.PointTransform : 0,
        };
    }

    private static string Describe(JpegProcess process) => process switch
    {
        JpegProcess.Baseline => "baseline (SOF0)",
        JpegProcess.ExtendedSequential => "extended sequential (SOF1)",
        _ => "lossless (SOF3)",
    };

    /// <summary>What the markers read so far have established.</summary>
    private sealed class DecoderState
    {
        public JpegFrame? Frame { get; set; }

        public HuffmanTable?[] DcTables { get; } = new HuffmanTable?[4];

        public HuffmanTable?[] AcTables { get; } = new HuffmanTable?[4];

        public ushort[]?[] QuantizationTables { get; } = new ushort[]?[4];

        public int RestartInterval { get; set; }

        public bool HasJfif { get; set; }

        public int? AdobeTransform { get; set; }

        public JpegScan? FirstScan { get; set; }

        public bool AllComponentsDecoded => Frame is not null && Array.TrueForAll(Frame.Components, c => c.Decoded);
    }
}
