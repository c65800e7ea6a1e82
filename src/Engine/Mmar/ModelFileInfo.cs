namespace MdaiClara.Engine.Mmar;

/// <summary>A model file the MMAR ships: where it is, its size and SHA-256, and what its bytes say it is.</summary>
public sealed record ModelFileInfo(
    string RelativePath,
    string FullPath,
    bool Exists,
    long? Bytes,
    string? Sha256,
    ModelFileFormat Format,
    string FormatDetail,
    string Source)
{
    public override string ToString() => Exists ? $"{RelativePath} ({Bytes:N0} bytes, {Format})" : $"{RelativePath} (missing)";
}
