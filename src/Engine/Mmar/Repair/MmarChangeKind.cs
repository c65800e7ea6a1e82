namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>What Repair-Mmar did to one thing of an MMAR.</summary>
public enum MmarChangeKind
{
    /// <summary>A file or key the MMAR lacked was added.</summary>
    Added,

    /// <summary>An existing value was changed (for example DATASET_JSON pointing outside the MMAR).</summary>
    Modified,

    /// <summary>Clara 4.0 content was rewritten to its Clara 4.1 (MONAI 0.8.1) form.</summary>
    Migrated,

    /// <summary>Clara 4.0 content whose Clara 4.1 form is not known; the config was left as it was.</summary>
    NotMigrated,

    /// <summary>Something that needs repair but cannot be derived from the MMAR; left for a person.</summary>
    NotRepaired,
}
