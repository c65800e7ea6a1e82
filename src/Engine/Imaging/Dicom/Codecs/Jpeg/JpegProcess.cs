namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>The JPEG coding processes (ITU T.81) this engine decodes, named by their start-of-frame marker.</summary>
public enum JpegProcess
{
    /// <summary>SOF0: baseline sequential DCT, 8-bit, Huffman (DICOM JPEG Baseline, process 1).</summary>
    Baseline,

    /// <summary>SOF1: extended sequential DCT, 8 or 12-bit, Huffman (DICOM JPEG Extended, processes 2 and 4).</summary>
    ExtendedSequential,

    /// <summary>SOF3: lossless, Huffman (DICOM JPEG Lossless, process 14 and its selection value 1 variant).</summary>
    Lossless,
}
