namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>
/// A file, or a whole folder (<see cref="Path"/> ends in '/'), of the MMAR that the package leaves out: why, how many
/// files and bytes, and what decided it.
/// </summary>
public sealed record MdaiPackageLeftOut(string Path, PackageLeftOutReason Reason, int Files, long Bytes, string Detail)
{
    public bool IsFolder => Path.EndsWith('/');

    public override string ToString() => IsFolder ? $"{Path} ({Reason}, {Files:N0} file{(Files == 1 ? string.Empty : "s")})" : $"{Path} ({Reason})";
}
