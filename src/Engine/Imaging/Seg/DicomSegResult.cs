namespace MdaiClara.Engine.Imaging.Seg;

/// <summary>What <see cref="DicomSegWriter.Write"/> wrote.</summary>
public sealed record DicomSegResult(string Path, string SopInstanceUid, string SeriesInstanceUid, string StudyInstanceUid, int Frames, int Segments, long Bytes)
{
    public override string ToString() => $"{Path}: {Segments} segment(s), {Frames} frame(s), {Bytes:N0} bytes";
}
