using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// What a repair would write (whole files, by path relative to the MMAR root, as text) and every change and gap with
/// its reason. Made from the analysis alone; nothing is written until it is applied.
/// </summary>
public sealed record MmarRepairPlan(IReadOnlyDictionary<string, string> Files, IReadOnlyList<MmarChange> Changes)
{
    /// <summary>True when the plan changes nothing (an in-place repair then writes nothing).</summary>
    public bool IsEmpty => Files.Count == 0;

    public int ChangeCount => Changes.Count(c => c.Kind is MmarChangeKind.Added or MmarChangeKind.Modified or MmarChangeKind.Migrated);
}
