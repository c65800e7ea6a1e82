using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>
/// Reads DICOM Part 10 files up to the pixel data: preamble and File Meta Information, then the data set in implicit VR
/// little endian, explicit VR little or big endian, or deflated explicit VR little endian; sequences and items of defined
/// and undefined length, all VRs, private elements. Files without a preamble or meta group are read by sniffing their
/// encoding. Every length is checked against the file before it is used, so bad input is a specific error naming the
/// file, tag and offset, never a crash or an allocation the file cannot back.
/// </summary>
public static class DicomFileReader
{
    private const int InitialPrefix = 8 * 1024;
    private const int MaxDepth = 32;
    private const long MaxInflatedBytes = 2L * 1024 * 1024 * 1024 - 1024;
    private const long MinInflateCap = 64L * 1024 * 1024;
    private const long MaxInflateRatio = 200;

    public static DicomFile Read(string path)
    {
        try
        {
            // Look before opening: a FIFO or device (length 0) would block or never end.
            if (new FileInfo(path).Length < 8)
            {
                throw NotDicom(path, "it is shorter than any DICOM data set");
            }

            // A bare handle and positional reads: series scans open thousands of files, so every layer counts.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
            {
                throw NotDicom(path, "it is shorter than any DICOM data set");
            }

            var prefix = (int)Math.Min(fileLength, InitialPrefix);
            while (true)
            {
                var buffer = new byte[prefix];
                var filled = 0;
                while (filled < prefix)
                {
                    var n = RandomAccess.Read(handle, buffer.AsSpan(filled), filled);
                    if (n == 0)
                    {
                        throw new MdaiClaraException($"{path} changed while it was read.", ErrorIds.DicomReadFailed, ErrorKind.InvalidData, path);
                    }

                    filled += n;
                }

                try
                {
                    return new Parser(path, buffer, fileLength).Parse();
                }
                catch (NeedMoreDataException)
                {
                    if (prefix >= fileLength)
                    {
                        throw new MdaiClaraException($"{path} is truncated: its data set ends in the middle of an element.", ErrorIds.DicomTruncated, ErrorKind.InvalidData, path);
                    }

                    prefix = (int)Math.Min(fileLength, Math.Min((long)prefix * 4, int.MaxValue - 64));
                }
            }
        }
        catch (FileNotFoundException ex)
        {
            throw new MdaiClaraException($"Cannot read {path}: the file does not exist.", ErrorIds.DicomReadFailed, ErrorKind.ObjectNotFound, path, ex);
        }
        catch (IOException ex)
        {
            throw new MdaiClaraException($"Cannot read {path}: {ex.Message.TrimEnd('.')}.", ErrorIds.DicomReadFailed, ErrorKind.InvalidData, path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new MdaiClaraException($"Cannot read {path}: access is denied.", ErrorIds.DicomReadFailed, ErrorKind.SecurityError, path, ex);
        }
    }

    /// <summary>
    /// Reads a data set held in memory (a DIMSE identifier or instance received over the network, no file meta): the
    /// encoding is recognised as for a raw file; <paramref name="source"/> names it in messages.
    /// </summary>
    public static DicomFile ReadBytes(byte[] data, string source)
    {
        if (data.Length < 8)
        {
            throw NotDicom(source, "it is shorter than any DICOM data set");
        }

        try
        {
            return new Parser(source, data, data.Length).Parse();
        }
        catch (NeedMoreDataException)
        {
            throw new MdaiClaraException($"{source} is truncated: its data set ends in the middle of an element.", ErrorIds.DicomTruncated, ErrorKind.InvalidData, source);
        }
    }

    /// <summary>A cheap test: a 'DICM' marker at byte 128, or a data set that starts like one.</summary>
    public static bool LooksLikeDicom(string path)
    {
        try
        {
            if (new FileInfo(path).Length < 8)
            {
                return false;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            var head = new byte[Math.Min(stream.Length, 132)];
            stream.ReadExactly(head);
            return HasPreamble(head) || SniffRawDataset(head) is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static MdaiClaraException NotDicom(string path, string why) =>
        new($"{path} is not a DICOM file: {why}.", ErrorIds.DicomNotDicom, ErrorKind.InvalidData, path);

    private static bool HasPreamble(ReadOnlySpan<byte> head) =>
        head.Length >= 132 && head[128] == (byte)'D' && head[129] == (byte)'I' && head[130] == (byte)'C' && head[131] == (byte)'M';

    /// <summary>For files without preamble: does the start look like a data set, and in which encoding?</summary>
    private static (bool Explicit, bool Little)? SniffRawDataset(ReadOnlySpan<byte> head)
    {
        if (head.Length < 8)
        {
            return null;
        }

        var groupLe = BinaryPrimitives.ReadUInt16LittleEndian(head);
        var groupBe = BinaryPrimitives.ReadUInt16BigEndian(head);
        var vrLooksExplicit = DicomVR.FromBytes(head[4], head[5]).IsKnown;

        // A data set starts with a low group: command (0000), meta (0002), identifying (0008) and similar.
        if (groupLe is 0x0000 or 0x0002 or 0x0004 or 0x0008 or 0x0010)
        {
            return (vrLooksExplicit, true);
        }

        if (groupBe is 0x0008 or 0x0010 && vrLooksExplicit)
        {
            return (true, false);
        }

        return null;
    }

    /// <summary>Explicit VR if the bytes after the first tag are a VR; big endian if the tag reads sensibly only that way.</summary>
    private static (bool Explicit, bool Little) GuessEncoding(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            return (false, true);
        }

        var isExplicit = DicomVR.FromBytes(data[4], data[5]).IsKnown;
        var groupLe = BinaryPrimitives.ReadUInt16LittleEndian(data);
        var groupBe = BinaryPrimitives.ReadUInt16BigEndian(data);
        var little = !(isExplicit && groupBe < groupLe && groupBe <= 0x0010);
        return (isExplicit, little);
    }

    private sealed class NeedMoreDataException : Exception
    {
    }

    /// <summary>One pass over a prefix of the file; throws NeedMoreDataException if the prefix ends too early.</summary>
    private sealed class Parser
    {
        private readonly string _path;
        private readonly long _fileLength;
        private readonly List<string> _warnings = new();
        private byte[] _buffer;
        private bool _explicit;
        private bool _little;
        private bool _inflated;
        private DicomElement? _pixelData;

        public Parser(string path, byte[] buffer, long fileLength)
        {
            _path = path;
            _buffer = buffer;
            _fileLength = fileLength;
        }

        private bool BufferIsWholeData => _inflated || _buffer.Length >= _fileLength;

        public DicomFile Parse()
        {
            var pos = 0;
            var preamble = HasPreamble(_buffer);
            var meta = new DicomDataset(littleEndian: true);
            string? tsUid = null;
            if (preamble)
            {
                pos = 132;
            }

            if (_buffer.Length >= pos + 8 && BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(pos)) == 0x0002)
            {
                // File Meta Information: always explicit VR little endian.
                _explicit = true;
                _little = true;
                pos = ParseElements(meta, pos, _buffer.Length, 0, topLevel: true, stopAtGroupOtherThan: 0x0002);
                tsUid = meta.GetString(DicomTag.TransferSyntaxUid);
            }
            else if (!preamble && SniffRawDataset(_buffer) is null)
            {
                throw NotDicom(_path, "there is no 'DICM' marker at byte 128 and the file does not start with a DICOM data set");
            }

            TransferSyntax ts;
            if (tsUid is not null)
            {
                ts = TransferSyntax.FromUid(tsUid);
            }
            else
            {
                ts = GuessEncoding(_buffer.AsSpan(pos)) switch
                {
                    (false, _) => TransferSyntax.ImplicitVRLittleEndian,
                    (true, false) => TransferSyntax.ExplicitVRBigEndian,
                    _ => TransferSyntax.ExplicitVRLittleEndian,
                };
                if (preamble || meta.Count > 0)
                {
                    _warnings.Add($"The file meta information has no Transfer Syntax UID; the data set was read as {ts.Name}, which is how it is encoded.");
                }
            }

            var dataStart = pos;
            if (ts.Deflated)
            {
                _buffer = Inflate(_buffer, dataStart);
                _inflated = true;
                dataStart = 0;
            }

            _explicit = ts.ExplicitVR;
            _little = ts.LittleEndian;
            ts = CheckEncodingClaim(ts, dataStart);

            var dataset = new DicomDataset(_little);
            ParseElements(dataset, dataStart, _buffer.Length, 0, topLevel: true, stopAtGroupOtherThan: null);
            return new DicomFile(_path, meta, dataset, ts, preamble, _pixelData, _inflated ? _buffer : null, _fileLength, _warnings);
        }

        /// <summary>Some files claim one VR encoding and use the other; read what is there and say so.</summary>
        private TransferSyntax CheckEncodingClaim(TransferSyntax ts, int pos)
        {
            if (_buffer.Length < pos + 8)
            {
                return ts;
            }

            var tag = ReadTag(pos);
            var vrBytes = DicomVR.FromBytes(_buffer[pos + 4], _buffer[pos + 5]);
            if (ts.ExplicitVR && !vrBytes.IsKnown && tag.Group != 0xFFFE)
            {
                _explicit = false;
                _warnings.Add($"The file claims {ts.Name} but its data set is encoded with implicit VR; it was read as implicit VR.");
                return ts with { ExplicitVR = false, Name = ts.Name + " (encoded as implicit VR)" };
            }

            if (!ts.ExplicitVR && vrBytes.IsKnown && DicomDictionary.TryGet(tag, out var expected, out _) && expected == vrBytes)
            {
                _explicit = true;
                _warnings.Add($"The file claims {ts.Name} but its data set is encoded with explicit VR; it was read as explicit VR.");
                return ts with { ExplicitVR = true, Name = ts.Name + " (encoded as explicit VR)" };
            }

            return ts;
        }

        private byte[] Inflate(byte[] buffer, int start)
        {
            if (!BufferIsWholeData)
            {
                throw new NeedMoreDataException();
            }

            try
            {
                using var input = new MemoryStream(buffer, start, buffer.Length - start, writable: false);
                using var deflate = new DeflateStream(input, CompressionMode.Decompress);
                using var output = new MemoryStream();
                var chunk = new byte[81920];
                // Real data sets deflate by far less than 200:1; a 'deflate bomb' must not exhaust memory.
                var cap = Math.Min(MaxInflatedBytes, Math.Max(MinInflateCap, MaxInflateRatio * (buffer.Length - start)));
                int n;
                while ((n = deflate.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (output.Length + n > cap)
                    {
                        throw new MdaiClaraException(
                            $"{_path}: the deflated data set inflates to more than {cap / (1024 * 1024):N0} MB ({MaxInflateRatio}× its compressed size or 64 MB); it is refused as implausible.",
                            ErrorIds.DicomInvalid, ErrorKind.InvalidData, _path);
                    }

                    output.Write(chunk, 0, n);
                }

                return output.ToArray();
            }
            catch (InvalidDataException ex)
            {
                throw new MdaiClaraException($"{_path}: the deflated data set is corrupt ({ex.Message.TrimEnd('.')}).", ErrorIds.DicomInvalid, ErrorKind.InvalidData, _path, ex);
            }
        }

        /// <summary>Parses elements into <paramref name="dataset"/> from <paramref name="pos"/> to <paramref name="end"/>
        /// (or, when <paramref name="end"/> is -1, to an Item Delimitation). Returns the position after the last element.</summary>
        private int ParseElements(DicomDataset dataset, int pos, int end, int depth, bool topLevel, ushort? stopAtGroupOtherThan)
        {
            if (depth > MaxDepth)
            {
                throw Invalid(pos, $"sequences are nested more than {MaxDepth} deep");
            }

            var undefinedItem = end < 0;
            while (undefinedItem || pos < end)
            {
                if (pos + 8 > _buffer.Length)
                {
                    if (!BufferIsWholeData)
                    {
                        throw new NeedMoreDataException();
                    }

                    if (topLevel && pos == _buffer.Length)
                    {
                        return pos;
                    }

                    throw Truncated(pos, "an element header");
                }

                var tag = ReadTag(pos);
                if (stopAtGroupOtherThan is { } onlyGroup && tag.Group != onlyGroup)
                {
                    return pos;
                }

                if (tag == DicomTag.ItemDelimitation)
                {
                    if (!undefinedItem)
                    {
                        throw Invalid(pos, "an Item Delimitation appears inside an item of defined length");
                    }

                    return pos + 8;
                }

                if (tag == DicomTag.SequenceDelimitation || tag == DicomTag.Item)
                {
                    throw Invalid(pos, $"{(tag == DicomTag.Item ? "an Item" : "a Sequence Delimitation")} tag appears among the elements of a data set");
                }

                DicomVR vr;
                long length;
                int valuePos;
                if (_explicit)
                {
                    vr = DicomVR.FromBytes(_buffer[pos + 4], _buffer[pos + 5]);
                    if (!vr.IsKnown)
                    {
                        if (vr.First is < 'A' or > 'Z' || vr.Second is < 'A' or > 'Z')
                        {
                            throw Invalid(pos, $"element {tag} has no valid VR (bytes 0x{_buffer[pos + 4]:X2} 0x{_buffer[pos + 5]:X2}); the file may not use the transfer syntax it claims");
                        }

                        // An unknown but well-formed VR: read it as UN with a 32-bit length, as PS3.5 §6.2.2 asks.
                        _warnings.Add($"Element {tag} has the unknown VR '{vr}'; it was read as UN.");
                    }

                    if (vr.HasLongLength || !vr.IsKnown)
                    {
                        if (pos + 12 > _buffer.Length)
                        {
                            if (!BufferIsWholeData)
                            {
                                throw new NeedMoreDataException();
                            }

                            throw Truncated(pos, $"the header of {tag}");
                        }

                        length = ReadUInt32(pos + 8);
                        valuePos = pos + 12;
                        vr = vr.IsKnown ? vr : DicomVR.UN;
                    }
                    else
                    {
                        length = ReadUInt16(pos + 6);
                        valuePos = pos + 8;
                    }
                }
                else
                {
                    DicomDictionary.TryGet(tag, out vr, out _);
                    length = ReadUInt32(pos + 4);
                    valuePos = pos + 8;
                }

                var undefined = length == 0xFFFFFFFF;
                if (tag.IsPixelData && topLevel)
                {
                    // Pixel values stay in the file; only their place is recorded (and parsing stops: nothing after them is needed).
                    _pixelData = new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, valuePos, undefined ? -1 : length);
                    dataset.Add(_pixelData);
                    return _buffer.Length;
                }

                if (undefined)
                {
                    if (vr == DicomVR.SQ || vr == DicomVR.UN || (!_explicit && !DicomDictionary.TryGet(tag, out _, out _)))
                    {
                        // An undefined-length UN is a sequence encoded as implicit VR little endian (PS3.5 §6.2.2).
                        var saved = (_explicit, _little);
                        if (vr == DicomVR.UN)
                        {
                            (_explicit, _little) = (false, true);
                        }

                        var items = new List<DicomDataset>();
                        pos = ParseSequence(items, valuePos, -1, depth + 1, dataset.CharacterSet);
                        (_explicit, _little) = saved;
                        dataset.Add(new DicomElement(tag, DicomVR.SQ, items, valuePos, -1));
                        continue;
                    }

                    if (tag.IsPixelData)
                    {
                        // Encapsulated pixel data inside a sequence item (an icon image): skip its fragments.
                        pos = SkipFragments(valuePos);
                        dataset.Add(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, valuePos, -1));
                        continue;
                    }

                    throw Invalid(pos, $"element {tag} ({vr}) has an undefined length, which only sequences and pixel data may have");
                }

                if (valuePos + length > _buffer.Length)
                {
                    if (!BufferIsWholeData)
                    {
                        throw new NeedMoreDataException();
                    }

                    throw new MdaiClaraException(
                        $"{_path}: element {tag} at byte {pos} says its value is {length:N0} bytes long, which runs past the end of the file ({_fileLength:N0} bytes); the file is truncated or corrupt.",
                        ErrorIds.DicomTruncated, ErrorKind.InvalidData, _path);
                }

                if (!undefinedItem && valuePos + length > end)
                {
                    throw Invalid(pos, $"element {tag} of {length:N0} bytes runs past the end of its item or sequence");
                }

                var len = (int)length;
                if (vr == DicomVR.SQ)
                {
                    var items = new List<DicomDataset>();
                    ParseSequence(items, valuePos, valuePos + len, depth + 1, dataset.CharacterSet);
                    dataset.Add(new DicomElement(tag, vr, items, valuePos, length));
                }
                else
                {
                    var element = new DicomElement(tag, vr, _buffer.AsMemory(valuePos, len), valuePos, length);
                    dataset.Add(element);
                    if (tag == DicomTag.SpecificCharacterSet)
                    {
                        dataset.CharacterSet = DicomDataset.EncodingFor(Encoding.ASCII.GetString(_buffer, valuePos, len));
                    }
                }

                pos = valuePos + len;
            }

            return pos;
        }

        private int ParseSequence(List<DicomDataset> items, int pos, int end, int depth, Encoding characterSet)
        {
            while (end < 0 || pos < end)
            {
                if (pos + 8 > _buffer.Length)
                {
                    if (!BufferIsWholeData)
                    {
                        throw new NeedMoreDataException();
                    }

                    throw Truncated(pos, "a sequence item");
                }

                var tag = ReadTag(pos);
                var length = ReadUInt32(pos + 4);
                if (tag == DicomTag.SequenceDelimitation)
                {
                    if (end >= 0)
                    {
                        throw Invalid(pos, "a Sequence Delimitation appears in a sequence of defined length");
                    }

                    return pos + 8;
                }

                if (tag != DicomTag.Item)
                {
                    throw Invalid(pos, $"a sequence holds {tag} where an Item (FFFE,E000) must be");
                }

                var item = new DicomDataset(_little, characterSet);
                if (length == 0xFFFFFFFF)
                {
                    pos = ParseElements(item, pos + 8, -1, depth, topLevel: false, stopAtGroupOtherThan: null);
                }
                else
                {
                    var itemEnd = pos + 8 + length;
                    if (itemEnd > _buffer.Length)
                    {
                        if (!BufferIsWholeData)
                        {
                            throw new NeedMoreDataException();
                        }

                        throw Truncated(pos, $"an item of {length:N0} bytes");
                    }

                    if (end >= 0 && itemEnd > end)
                    {
                        throw Invalid(pos, $"an item of {length:N0} bytes runs past the end of its sequence");
                    }

                    ParseElements(item, pos + 8, (int)itemEnd, depth, topLevel: false, stopAtGroupOtherThan: null);
                    pos = (int)itemEnd;
                }

                items.Add(item);
            }

            return pos;
        }

        private int SkipFragments(int pos)
        {
            while (true)
            {
                if (pos + 8 > _buffer.Length)
                {
                    if (!BufferIsWholeData)
                    {
                        throw new NeedMoreDataException();
                    }

                    throw Truncated(pos, "an encapsulated pixel data fragment");
                }

                var tag = ReadTag(pos);
                var length = ReadUInt32(pos + 4);
                if (tag == DicomTag.SequenceDelimitation)
                {
                    return pos + 8;
                }

                if (tag != DicomTag.Item || pos + 8 + length > _buffer.Length)
                {
                    if (tag == DicomTag.Item && !BufferIsWholeData)
                    {
                        throw new NeedMoreDataException();
                    }

                    throw Invalid(pos, "encapsulated pixel data inside an item is malformed");
                }

                pos += 8 + (int)length;
            }
        }

        private DicomTag ReadTag(int pos) => _little
            ? new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(pos)), BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(pos + 2)))
            : new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(pos)), BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(pos + 2)));

        private ushort ReadUInt16(int pos) => _little ? BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(pos)) : BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(pos));

        private uint ReadUInt32(int pos) => _little ? BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(pos)) : BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(pos));

        private MdaiClaraException Truncated(int pos, string what) =>
            new($"{_path} is truncated: it ends at byte {_fileLength:N0} inside {what} that starts at byte {pos:N0}.", ErrorIds.DicomTruncated, ErrorKind.InvalidData, _path);

        private MdaiClaraException Invalid(int pos, string what) =>
            new($"{_path} is not valid DICOM at byte {pos:N0}: {what}.", ErrorIds.DicomInvalid, ErrorKind.InvalidData, _path);
    }
}
