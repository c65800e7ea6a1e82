using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>What a repair wrote: the MMAR it read, the folder it wrote, and every change (and every gap) with its reason.</summary>
public sealed record MmarRepair
{
    /// <summary>The MMAR that was read (folder or zip).</summary>
    public required string Source { get; init; }

    /// <summary>The folder the repaired MMAR is in (the source folder itself when repaired in place).</summary>
    public required string Destination { get; init; }

    public required bool InPlace { get; init; }

    public required IReadOnlyList<MmarChange> Changes { get; init; }

    /// <summary>True when nothing was left unrepaired or unmigrated.</summary>
    public bool Complete => Changes.All(c => c.Kind is not (MmarChangeKind.NotRepaired or MmarChangeKind.NotMigrated));

    public override string ToString() =>
        $"{Source} → {Destination}: {Changes.Count(c => c.Kind is MmarChangeKind.Added or MmarChangeKind.Modified or MmarChangeKind.Migrated)} changes, "
        + $"{Changes.Count(c => c.Kind is MmarChangeKind.NotRepaired or MmarChangeKind.NotMigrated)} left for a person";
}
