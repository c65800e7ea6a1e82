namespace MdaiClara.Engine.Bundles;

/// <summary>Where a value of a bundle config file starts: the file (relative to the bundle root) and its 1-based line and column.</summary>
public sealed record ConfigPosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
