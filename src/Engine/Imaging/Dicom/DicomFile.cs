using System.Collections.Generic;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>
/// A parsed DICOM Part 10 file: its File Meta Information, its data set up to the pixel data, and where the pixel data
/// is. Parsing never reads pixel values; <see cref="DicomPixelData"/> does, on demand.
/// </summary>
public sealed class DicomFile
{
    internal DicomFile(string path, DicomDataset fileMeta, DicomDataset dataset, TransferSyntax transferSyntax, bool hasPreamble, DicomElement? pixelData, byte[]? inflated, long fileLength, IReadOnlyList<string> warnings)
    {
        FileLength = fileLength;
        Path = path;
        FileMeta = fileMeta;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
        HasPreamble = hasPreamble;
        PixelDataElement = pixelData;
        InflatedDataset = inflated;
        Warnings = warnings;
    }

    public string Path { get; }

    /// <summary>Group 0002 (empty for files written without it).</summary>
    public DicomDataset FileMeta { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The syntax the data set was actually parsed with (see <see cref="Warnings"/> when it differs from the file's claim).</summary>
    public TransferSyntax TransferSyntax { get; }

    public bool HasPreamble { get; }

    /// <summary>The top-level Pixel Data (or Float/Double Float Pixel Data) element; its value stays in the file.</summary>
    public DicomElement? PixelDataElement { get; }

    /// <summary>Problems that did not stop reading (a transfer syntax claim that did not match the encoding, …).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Bytes in the file on disk.</summary>
    public long FileLength { get; }

    /// <summary>Bytes that pixel data offsets can reach: the inflated data set for deflated files, else the file.</summary>
    internal long SourceLength => InflatedDataset?.LongLength ?? FileLength;

    /// <summary>For deflated files: the inflated data set, which pixel data offsets refer to.</summary>
    internal byte[]? InflatedDataset { get; }

    public override string ToString() => $"{Path} ({TransferSyntax.Name}, {Dataset.Count} elements)";
}
