using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar;

public enum MmarPathKind
{
    /// <summary>Relative, and stays inside the MMAR.</summary>
    InsideMmar,

    /// <summary>Absolute: points at data outside the MMAR (expected for DATA_ROOT and data lists).</summary>
    External,

    /// <summary>Relative, but climbs out of the MMAR with '..'.</summary>
    EscapesMmar,

    /// <summary>Empty, or still holding an unresolved {VAR}.</summary>
    Invalid,
}

/// <summary>A path named by a config key (MMAR_TORCHSCRIPT, DATASET_JSON, …), classified against the MMAR root.</summary>
public sealed record MmarPathReference(
    string Key,
    string RawValue,
    MmarPathKind Kind,
    string? RelativePath,
    bool Exists,
    string DefinedIn,
    SourceLocation? Location)
{
    public override string ToString() => Kind == MmarPathKind.InsideMmar ? RelativePath ?? RawValue : RawValue;
}
