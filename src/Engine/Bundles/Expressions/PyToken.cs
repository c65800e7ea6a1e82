namespace MdaiClara.Engine.Bundles.Expressions;

/// <summary>The kinds of token of the Python subset bundle expressions are read in.</summary>
public enum PyTokenKind
{
    Name,
    Integer,
    Float,
    String,
    Reference,
    Operator,
    End,
}

/// <summary>One token and its offset in the expression text (after the "$").</summary>
public sealed record PyToken(PyTokenKind Kind, string Text, object? Value, int Offset)
{
    public bool Is(string op) => (Kind == PyTokenKind.Operator || Kind == PyTokenKind.Name) && Text == op;
}
