using System;

namespace MdaiClara.Engine.Bundles.Expressions;

/// <summary>An expression outside what the allow-list reads (or that MONAI itself could not evaluate), and why.</summary>
public sealed class ExpressionRefusedException : Exception
{
    public ExpressionRefusedException(string reason, int offset = 0)
        : base(reason)
    {
        Offset = offset;
    }

    /// <summary>Where in the expression text (after the "$") the refused part starts.</summary>
    public int Offset { get; }
}
