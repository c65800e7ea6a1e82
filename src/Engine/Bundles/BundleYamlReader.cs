using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MdaiClara.Engine.Bundles;

/// <summary>
/// Reads a bundle's YAML config with the position of every value, resolving plain scalars as PyYAML's safe_load does
/// (what MONAI uses): YAML 1.1 booleans (true/yes/on…), null (~, null, empty), integers, and floats only with a dot
/// (PyYAML reads <c>1e-4</c> as a string). Anchors and aliases are followed.
/// </summary>
public static partial class BundleYamlReader
{
    private const int MaxDepth = 256;

    public static ConfigFile Read(string relativePath, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var text = new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF');
        var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        Parser? parserRef = null;
        try
        {
            var parser = parserRef = new Parser(new StringReader(text));
            ConfigNode? root = null;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case StreamStart or StreamEnd or DocumentEnd:
                        continue;
                    case DocumentStart:
                        if (root is not null)
                        {
                            return Error(relativePath, parser.Current.Start, "The file holds more than one YAML document; MONAI reads one.");
                        }

                        parser.MoveNext();
                        root = parser.Current is DocumentEnd ? ConfigNode.Of(Pos(relativePath, parser.Current.Start), null) : ReadValue(parser, relativePath, anchors, 0);
                        break;
                }
            }

            return new ConfigFile(relativePath, ConfigFileFormat.Yaml, root ?? ConfigNode.Of(new ConfigPosition(relativePath, 1, 1), null), null);
        }
        catch (YamlException ex)
        {
            return Error(relativePath, ex.Start, ex.InnerException?.Message ?? ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's parser stops this way on some malformed flow collections; the last event read is where.
            return Error(relativePath, parserRef?.Current?.End ?? Mark.Empty, $"The YAML does not parse ({ex.Message.TrimEnd('.')}); check the brackets and indentation near here.");
        }
    }

    private static ConfigFile Error(string file, Mark at, string message) =>
        new(file, ConfigFileFormat.Yaml, null, new ConfigSyntaxError(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), message));

    private static ConfigPosition Pos(string file, Mark at) => new(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column));

    /// <summary>Reads the value starting at the parser's current event and leaves the parser on its last event.</summary>
    private static ConfigNode ReadValue(IParser parser, string file, Dictionary<string, ConfigNode> anchors, int depth)
    {
        var current = parser.Current!;
        var at = Pos(file, current.Start);
        if (depth > MaxDepth)
        {
            throw new YamlException(current.Start, current.End, $"The YAML is nested deeper than {MaxDepth} levels.");
        }

        ConfigNode node;
        string? anchor = null;
        switch (current)
        {
            case AnchorAlias alias:
                return anchors.TryGetValue(alias.Value.Value, out var target)
                    ? target
                    : throw new YamlException(current.Start, current.End, $"The alias *{alias.Value.Value} names no anchor defined before it.");
            case Scalar scalar:
                anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
                node = ConfigNode.Of(at, Resolve(scalar));
                break;
            case MappingStart mapping:
                anchor = mapping.Anchor.IsEmpty ? null : mapping.Anchor.Value;
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                while (parser.MoveNext() && parser.Current is not MappingEnd)
                {
                    var key = ReadValue(parser, file, anchors, depth + 1);
                    parser.MoveNext();
                    var value = ReadValue(parser, file, anchors, depth + 1);
                    entries.Add(new(KeyText(key), value));
                }

                node = ConfigNode.Object(at, entries);
                break;
            case SequenceStart sequence:
                anchor = sequence.Anchor.IsEmpty ? null : sequence.Anchor.Value;
                var items = new List<ConfigNode>();
                while (parser.MoveNext() && parser.Current is not SequenceEnd)
                {
                    items.Add(ReadValue(parser, file, anchors, depth + 1));
                }

                node = ConfigNode.List(at, items);
                break;
            default:
                throw new YamlException(current.Start, current.End, $"Unexpected {current.GetType().Name} in the YAML.");
        }

        if (anchor is not null)
        {
            anchors[anchor] = node;
        }

        return node;
    }

    /// <summary>Keys as Python would print them after loading (MONAI ids are their str()).</summary>
    private static string KeyText(ConfigNode key) => key.Scalar switch
    {
        string s => s,
        bool b => b ? "True" : "False",
        null when key.Kind == ConfigNodeKind.Null => "None",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString(),
    };

    private static object? Resolve(Scalar scalar)
    {
        var v = scalar.Value;
        var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value;
        if (scalar.Style != ScalarStyle.Plain || tag is "tag:yaml.org,2002:str" or "!!str")
        {
            return v;
        }

        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return true;
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        var plain = v.Replace("_", string.Empty, StringComparison.Ordinal);
        if (IntegerPattern().IsMatch(v))
        {
            if (long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
        }
        else if (HexPattern().IsMatch(v))
        {
            var negative = plain.StartsWith('-');
            var digits = plain.TrimStart('+', '-')[2..];
            if (long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h))
            {
                return negative ? -h : h;
            }
        }
        else if (FloatPattern().IsMatch(v) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return v;
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?0x[0-9a-fA-F_]+$")]
    private static partial Regex HexPattern();

    // PyYAML 1.1 float: a dot is required, an exponent needs its sign.
    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$")]
    private static partial Regex FloatPattern();
}
