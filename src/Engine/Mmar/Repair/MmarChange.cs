namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// One change of a repair (or one thing it could not change): the file relative to the MMAR root, with the line and
/// column of the original text where that is known, what was done and why.
/// </summary>
public sealed record MmarChange(string File, MmarChangeKind Kind, string What, string Why, int? Line = null, int? Column = null)
{
    /// <summary>file, file:line:column when the place is known.</summary>
    public string Location => Line is null ? File : $"{File}:{Line}:{Column}";

    public override string ToString() => $"{Kind} {Location}: {What} ({Why})";
}
