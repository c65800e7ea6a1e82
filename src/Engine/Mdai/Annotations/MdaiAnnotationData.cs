using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>The drawing of an annotation (its <c>data</c>; mdai-contract §8.3). Null for global labels.</summary>
public abstract record MdaiAnnotationData;

/// <summary><c>{vertices: [[x, y], ...]}</c>: polygon, freeform (closed) or line (open).</summary>
public sealed record MdaiVerticesData(IReadOnlyList<MdaiPoint> Vertices) : MdaiAnnotationData
{
    public override string ToString() => $"{Vertices.Count} vertices";
}

/// <summary><c>{foreground: [polygon, ...], background: [polygon, ...]}</c>: filled foreground first, then background cleared.</summary>
public sealed record MdaiMaskData(IReadOnlyList<IReadOnlyList<MdaiPoint>> Foreground, IReadOnlyList<IReadOnlyList<MdaiPoint>> Background) : MdaiAnnotationData
{
    public override string ToString() => $"{Foreground.Count} foreground, {Background.Count} background polygon(s)";
}

/// <summary><c>{x, y, width, height}</c> in pixels.</summary>
public sealed record MdaiBoxData(double X, double Y, double Width, double Height) : MdaiAnnotationData
{
    public override string ToString() => FormattableString.Invariant($"box at ({X}, {Y}) {Width} × {Height}");
}

/// <summary><c>{x, y}</c>: a location.</summary>
public sealed record MdaiLocationData(double X, double Y) : MdaiAnnotationData
{
    public override string ToString() => FormattableString.Invariant($"point ({X}, {Y})");
}
