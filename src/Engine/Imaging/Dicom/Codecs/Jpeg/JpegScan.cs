namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>A scan header (SOS, ITU T.81 B.2.3) resolved against the tables in force when the scan starts.</summary>
internal sealed class JpegScan
{
    public JpegScan(JpegComponent[] components, HuffmanTable[] dcTables, HuffmanTable[] acTables, ushort[][] quantizationTables)
    {
        Components = components;
        DcTables = dcTables;
        AcTables = acTables;
        QuantizationTables = quantizationTables;
    }

    public JpegComponent[] Components { get; }

    /// <summary>Per scan component: the DC table (DCT) or the difference table (lossless).</summary>
    public HuffmanTable[] DcTables { get; }

    /// <summary>Per scan component: the AC table; empty for lossless scans.</summary>
    public HuffmanTable[] AcTables { get; }

    /// <summary>Per scan component: the quantization table in zig-zag order; empty for lossless scans.</summary>
    public ushort[][] QuantizationTables { get; }

    /// <summary>Lossless only: the predictor, i.e. the selection value Ss (1..7).</summary>
    public int Predictor { get; init; }

    /// <summary>Lossless only: the point transform Pt (Al).</summary>
    public int PointTransform { get; init; }

    /// <summary>MCUs per restart interval (DRI), 0 when restart markers are off.</summary>
    public int RestartInterval { get; init; }
}
