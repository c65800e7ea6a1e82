using System.Globalization;

namespace MdaiClara.Engine.Mdai;

/// <summary>JSON-path-like locations inside a returned value: <c>[3].data.mask[0][0]</c>, <c>[0]['odd key']</c>.</summary>
internal static class OutputLocation
{
    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Index(string parent, int row, int column) => Index(Index(parent, row), column);

    public static string Key(string parent, string key) =>
        IsIdentifier(key) ? parent + "." + key : parent + "['" + key.Replace("\\", "\\\\", System.StringComparison.Ordinal).Replace("'", "\\'", System.StringComparison.Ordinal) + "']";

    private static bool IsIdentifier(string key)
    {
        if (key.Length == 0 || char.IsAsciiDigit(key[0]))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
