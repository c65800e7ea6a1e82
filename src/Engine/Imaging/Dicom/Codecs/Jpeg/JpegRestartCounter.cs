namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// A scan's restart-interval bookkeeping (ITU T.81 B.2.4.4): after every RestartInterval MCUs the entropy-coded data
/// holds an RSTn marker, n cycling 0..7, and the decoder resets its predictions. No interval: no restarts.
/// </summary>
internal struct JpegRestartCounter
{
    private readonly int _interval;
    private int _index;

    public JpegRestartCounter(int interval)
    {
        _interval = interval;
        Left = interval > 0 ? interval : int.MaxValue;
    }

    /// <summary>MCUs before the next restart marker.</summary>
    public int Left { get; private set; }

    /// <summary>Reads the restart marker when one is due; true when it was (the caller resets its predictions).</summary>
    public bool Restart(ref JpegBitReader reader)
    {
        if (Left != 0)
        {
            return false;
        }

        reader.Restart(_index);
        _index = (_index + 1) & 7;
        Left = _interval;
        return true;
    }

    /// <summary>Counts MCUs (samples, for a lossless line) as decoded.</summary>
    public void Take(int mcus = 1) => Left -= mcus;
}
