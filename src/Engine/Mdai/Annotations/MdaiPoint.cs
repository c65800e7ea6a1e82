using System;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>A vertex as MD.ai stores it: image pixels, x along columns, y along rows, possibly fractional.</summary>
public readonly record struct MdaiPoint(double X, double Y)
{
    public override string ToString() => FormattableString.Invariant($"[{X}, {Y}]");
}
