using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MdaiClara.Engine.Bundles.Expressions;

/// <summary>
/// Splits an expression (the text after "$") into tokens of the Python subset the allow-list reads: names, numbers,
/// plain string literals, "@id" references and operators. Anything else (f-strings, bytes, comments) is refused.
/// </summary>
public static class PyLexer
{
    private static readonly string[] Operators =
    {
        "**", "//", "==", "!=", "<=", ">=", "->", "(", ")", "[", "]", "{", "}", ",", ".", ":", "+", "-", "*", "/", "%", "<", ">", "=", "|", "&", "~", "^", ";",
    };

    public static List<PyToken> Tokenize(string text)
    {
        var tokens = new List<PyToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                throw new ExpressionRefusedException("a comment inside an expression", i);
            }

            if (c == '@')
            {
                var start = i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || (text[i] == ':' && i + 1 < text.Length && text[i + 1] == ':')))
                {
                    i += text[i] == ':' ? 2 : 1;
                }

                tokens.Add(new PyToken(PyTokenKind.Reference, text[start..i], text[(start + 1)..i], start));
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                if (i < text.Length && (text[i] == '\'' || text[i] == '"'))
                {
                    var prefix = text[start..i].ToLowerInvariant();
                    if (prefix != "r")
                    {
                        throw new ExpressionRefusedException($"a {prefix}-prefixed string literal (f-strings and bytes are not read)", start);
                    }

                    var (raw, end) = ReadString(text, i, raw: true);
                    tokens.Add(new PyToken(PyTokenKind.String, text[start..end], raw, start));
                    i = end;
                    continue;
                }

                tokens.Add(new PyToken(PyTokenKind.Name, text[start..i], null, start));
                continue;
            }

            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i;
                var isFloat = false;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '_' || text[i] == '.' || text[i] is 'e' or 'E'
                    || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E')))
                {
                    isFloat |= text[i] is '.' or 'e' or 'E';
                    i++;
                }

                var number = text[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
                if (isFloat && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    tokens.Add(new PyToken(PyTokenKind.Float, text[start..i], d, start));
                }
                else if (!isFloat && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    tokens.Add(new PyToken(PyTokenKind.Integer, text[start..i], n, start));
                }
                else
                {
                    throw new ExpressionRefusedException($"the number '{text[start..i]}'", start);
                }

                continue;
            }

            if (c == '\'' || c == '"')
            {
                var (value, end) = ReadString(text, i, raw: false);
                tokens.Add(new PyToken(PyTokenKind.String, text[i..end], value, i));
                i = end;
                continue;
            }

            var op = Array.Find(Operators, o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0);
            if (op is null)
            {
                throw new ExpressionRefusedException($"the character '{c}'", i);
            }

            tokens.Add(new PyToken(PyTokenKind.Operator, op, null, i));
            i += op.Length;
        }

        tokens.Add(new PyToken(PyTokenKind.End, string.Empty, null, text.Length));
        return tokens;
    }

    private static (string Value, int End) ReadString(string text, int at, bool raw)
    {
        var quote = text[at];
        if (at + 2 < text.Length && text[at + 1] == quote && text[at + 2] == quote)
        {
            throw new ExpressionRefusedException("a triple-quoted string", at);
        }

        var sb = new StringBuilder();
        var i = at + 1;
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                if (raw)
                {
                    sb.Append(text[i]).Append(text[i + 1]);
                }
                else
                {
                    sb.Append(text[i + 1] switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        var other => other,
                    });
                }

                i += 2;
                continue;
            }

            sb.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw new ExpressionRefusedException("a string literal that is never closed", at);
        }

        return (sb.ToString(), i + 1);
    }
}
