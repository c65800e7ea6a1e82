namespace MdaiClara.Engine.Networking;

/// <summary>Progress of a transfer, reported once per instance.</summary>
/// <param name="Done">Instances finished so far (written, skipped as present, or sent).</param>
/// <param name="Total">Instances expected, when the server said (null when unknown).</param>
/// <param name="SopInstanceUid">The instance just finished.</param>
/// <param name="Bytes">Bytes moved so far.</param>
public sealed record DicomInstanceProgress(int Done, int? Total, string SopInstanceUid, long Bytes);
