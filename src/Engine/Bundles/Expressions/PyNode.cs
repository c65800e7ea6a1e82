using System.Collections.Generic;

namespace MdaiClara.Engine.Bundles.Expressions;

/// <summary>A node of a parsed expression; <see cref="Offset"/> is where it starts in the expression text.</summary>
public abstract record PyNode(int Offset);

public sealed record PyLiteral(object? Value, int Offset) : PyNode(Offset);

/// <summary>"@id": a reference to another config item.</summary>
public sealed record PyReference(string Id, int Offset) : PyNode(Offset);

public sealed record PyName(string Name, int Offset) : PyNode(Offset);

public sealed record PyAttribute(PyNode Target, string Name, int Offset) : PyNode(Offset);

public sealed record PyKeyword(string Name, PyNode Value);

public sealed record PyCall(PyNode Function, IReadOnlyList<PyNode> Arguments, IReadOnlyList<PyKeyword> Keywords, int Offset) : PyNode(Offset);

public sealed record PySubscript(PyNode Target, PyNode Index, int Offset) : PyNode(Offset);

public sealed record PyListDisplay(IReadOnlyList<PyNode> Items, bool IsTuple, int Offset) : PyNode(Offset);

public sealed record PyDictDisplay(IReadOnlyList<(PyNode Key, PyNode Value)> Entries, int Offset) : PyNode(Offset);

/// <summary>A binary operator: + - * / // % and the comparisons, "and", "or".</summary>
public sealed record PyBinary(string Operator, PyNode Left, PyNode Right, int Offset) : PyNode(Offset);

/// <summary>A unary operator: "-", "+", "not".</summary>
public sealed record PyUnary(string Operator, PyNode Operand, int Offset) : PyNode(Offset);

/// <summary>"a if test else b".</summary>
public sealed record PyConditional(PyNode Test, PyNode Then, PyNode Else, int Offset) : PyNode(Offset);

/// <summary>"import a.b as c" or "from a import b as c": the names bound and the modules they stand for.</summary>
public sealed record PyImport(IReadOnlyList<(string Bound, string Module)> Bindings, int Offset) : PyNode(Offset);
