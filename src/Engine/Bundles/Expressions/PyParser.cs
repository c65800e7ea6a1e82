using System.Collections.Generic;
using System.Linq;

namespace MdaiClara.Engine.Bundles.Expressions;

/// <summary>
/// Parses the Python subset bundle expressions are read in: literals, names, attributes, calls, subscripts, list,
/// tuple and dict displays, arithmetic, comparisons, "not/and/or", conditional expressions and import statements.
/// Lambdas, comprehensions, starred arguments and statements are refused with where they start.
/// </summary>
public sealed class PyParser
{
    private static readonly HashSet<string> Comparisons = new() { "==", "!=", "<", ">", "<=", ">=", "in", "is" };
    private static readonly HashSet<string> Refused = new() { "lambda", "for", "yield", "await", "async", "def", "class", "with", "global", "del", "assert", "raise", "exec" };

    private readonly List<PyToken> _tokens;
    private int _at;

    private PyParser(List<PyToken> tokens) => _tokens = tokens;

    public static PyNode Parse(string text)
    {
        var parser = new PyParser(PyLexer.Tokenize(text));
        var node = parser.Peek.Is("import") || parser.Peek.Is("from") ? parser.Import() : parser.Expression();
        if (parser.Peek.Kind != PyTokenKind.End)
        {
            throw parser.Unexpected();
        }

        return node;
    }

    private PyToken Peek => _tokens[_at];

    private PyToken Next() => _tokens[_at++];

    private bool Accept(string op)
    {
        if (Peek.Is(op))
        {
            _at++;
            return true;
        }

        return false;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw Unexpected($"'{op}' expected");
        }
    }

    private ExpressionRefusedException Unexpected(string? expected = null)
    {
        var t = Peek;
        if (t.Kind == PyTokenKind.Name && Refused.Contains(t.Text))
        {
            return new ExpressionRefusedException($"'{t.Text}' ({(t.Text == "lambda" ? "a lambda" : t.Text == "for" ? "a comprehension" : "a statement")}) is Python code the allow-list does not run", t.Offset);
        }

        var what = t.Kind == PyTokenKind.End ? "the end of the expression" : $"'{t.Text}'";
        return new ExpressionRefusedException(expected is null ? $"{what} is not part of the expression forms read" : $"{expected}, found {what}", t.Offset);
    }

    private PyImport Import()
    {
        var start = Peek.Offset;
        var bindings = new List<(string, string)>();
        if (Accept("import"))
        {
            do
            {
                var module = DottedName();
                var top = module.Split('.')[0];
                bindings.Add(Accept("as") ? (Identifier(), module) : (top, top));
            }
            while (Accept(","));
        }
        else
        {
            Expect("from");
            var module = DottedName();
            Expect("import");
            var parenthesised = Accept("(");
            do
            {
                if (Accept("*"))
                {
                    throw new ExpressionRefusedException("'from … import *' (the names it binds cannot be known without running it)", start);
                }

                var name = Identifier();
                bindings.Add((Accept("as") ? Identifier() : name, module + "." + name));
            }
            while (Accept(","));
            if (parenthesised)
            {
                Expect(")");
            }
        }

        return new PyImport(bindings, start);
    }

    private string DottedName()
    {
        var parts = new List<string> { Identifier() };
        while (Accept("."))
        {
            parts.Add(Identifier());
        }

        return string.Join('.', parts);
    }

    private string Identifier() => Peek.Kind == PyTokenKind.Name ? Next().Text : throw Unexpected("a name expected");

    private PyNode Expression()
    {
        if (Peek.Is("lambda"))
        {
            throw Unexpected();
        }

        var then = Or();
        if (Peek.Is("if"))
        {
            var at = Next().Offset;
            var test = Or();
            Expect("else");
            return new PyConditional(test, then, Expression(), at);
        }

        return then;
    }

    private PyNode Or()
    {
        var left = And();
        while (Peek.Is("or"))
        {
            var at = Next().Offset;
            left = new PyBinary("or", left, And(), at);
        }

        return left;
    }

    private PyNode And()
    {
        var left = Not();
        while (Peek.Is("and"))
        {
            var at = Next().Offset;
            left = new PyBinary("and", left, Not(), at);
        }

        return left;
    }

    private PyNode Not()
    {
        if (Peek.Is("not"))
        {
            var at = Next().Offset;
            return new PyUnary("not", Not(), at);
        }

        return Comparison();
    }

    private PyNode Comparison()
    {
        var left = Arithmetic();
        while (Comparisons.Contains(Peek.Text) && Peek.Kind is PyTokenKind.Operator or PyTokenKind.Name)
        {
            var t = Next();
            var op = t.Text;
            if (op == "is" && Accept("not"))
            {
                op = "is not";
            }

            left = new PyBinary(op, left, Arithmetic(), t.Offset);
        }

        if (Peek.Is("not") && _tokens[_at + 1].Is("in"))
        {
            var at = Next().Offset;
            Next();
            left = new PyBinary("not in", left, Arithmetic(), at);
        }

        return left;
    }

    private PyNode Arithmetic()
    {
        var left = Term();
        while (Peek.Is("+") || Peek.Is("-"))
        {
            var t = Next();
            left = new PyBinary(t.Text, left, Term(), t.Offset);
        }

        return left;
    }

    private PyNode Term()
    {
        var left = Unary();
        while (Peek.Is("*") || Peek.Is("/") || Peek.Is("//") || Peek.Is("%"))
        {
            var t = Next();
            left = new PyBinary(t.Text, left, Unary(), t.Offset);
        }

        return left;
    }

    private PyNode Unary()
    {
        if (Peek.Is("-") || Peek.Is("+"))
        {
            var t = Next();
            return new PyUnary(t.Text, Unary(), t.Offset);
        }

        return Postfix();
    }

    private PyNode Postfix()
    {
        var node = Atom();
        while (true)
        {
            if (Accept("."))
            {
                node = new PyAttribute(node, Identifier(), node.Offset);
            }
            else if (Peek.Is("("))
            {
                var at = Next().Offset;
                var args = new List<PyNode>();
                var keywords = new List<PyKeyword>();
                while (!Peek.Is(")"))
                {
                    if (Peek.Is("*") || Peek.Is("**"))
                    {
                        throw new ExpressionRefusedException("starred arguments", Peek.Offset);
                    }

                    if (Peek.Kind == PyTokenKind.Name && _tokens[_at + 1].Is("="))
                    {
                        var name = Next().Text;
                        Next();
                        keywords.Add(new PyKeyword(name, Expression()));
                    }
                    else
                    {
                        args.Add(Expression());
                    }

                    if (Peek.Is("for"))
                    {
                        throw Unexpected();
                    }

                    if (!Accept(","))
                    {
                        break;
                    }
                }

                Expect(")");
                node = new PyCall(node, args, keywords, node.Offset);
            }
            else if (Peek.Is("["))
            {
                var at = Next().Offset;
                var index = Expression();
                Expect("]");
                node = new PySubscript(node, index, at);
            }
            else
            {
                return node;
            }
        }
    }

    private PyNode Atom()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case PyTokenKind.Integer or PyTokenKind.Float:
                Next();
                return new PyLiteral(t.Value, t.Offset);
            case PyTokenKind.String:
                var text = (string)Next().Value!;
                while (Peek.Kind == PyTokenKind.String)
                {
                    text += (string)Next().Value!; // implicit concatenation
                }

                return new PyLiteral(text, t.Offset);
            case PyTokenKind.Reference:
                Next();
                return new PyReference((string)t.Value!, t.Offset);
            case PyTokenKind.Name when t.Text is "True" or "False" or "None":
                Next();
                return new PyLiteral(t.Text == "None" ? null : t.Text == "True", t.Offset);
            case PyTokenKind.Name when !Refused.Contains(t.Text) && t.Text is not ("if" or "else" or "import" or "from" or "not" or "and" or "or" or "in" or "is"):
                Next();
                return new PyName(t.Text, t.Offset);
        }

        if (Accept("("))
        {
            if (Accept(")"))
            {
                return new PyListDisplay(new List<PyNode>(), true, t.Offset);
            }

            var first = Expression();
            if (Peek.Is("for"))
            {
                throw Unexpected();
            }

            if (Accept(")"))
            {
                return first;
            }

            var items = new List<PyNode> { first };
            while (Accept(",") && !Peek.Is(")"))
            {
                items.Add(Expression());
            }

            Expect(")");
            return new PyListDisplay(items, true, t.Offset);
        }

        if (Accept("["))
        {
            var items = new List<PyNode>();
            while (!Peek.Is("]"))
            {
                items.Add(Expression());
                if (Peek.Is("for"))
                {
                    throw Unexpected();
                }

                if (!Accept(","))
                {
                    break;
                }
            }

            Expect("]");
            return new PyListDisplay(items, false, t.Offset);
        }

        if (Accept("{"))
        {
            var entries = new List<(PyNode, PyNode)>();
            while (!Peek.Is("}"))
            {
                var key = Expression();
                if (!Peek.Is(":"))
                {
                    throw Peek.Is("for") ? Unexpected() : new ExpressionRefusedException("a set display", t.Offset);
                }

                Next();
                entries.Add((key, Expression()));
                if (Peek.Is("for"))
                {
                    throw Unexpected();
                }

                if (!Accept(","))
                {
                    break;
                }
            }

            Expect("}");
            return new PyDictDisplay(entries, t.Offset);
        }

        throw Unexpected();
    }
}
