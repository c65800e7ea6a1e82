namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>Where a repair writes and what it may replace.</summary>
public sealed record MmarRepairOptions
{
    /// <summary>The folder to write the repaired copy to; null with <see cref="InPlace"/>.</summary>
    public string? Destination { get; init; }

    /// <summary>Rewrite the MMAR folder itself (the whole folder is swapped for the repaired one at once).</summary>
    public bool InPlace { get; init; }

    /// <summary>Replace an existing destination folder.</summary>
    public bool Force { get; init; }
}
