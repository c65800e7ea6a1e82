using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using StbImageSharp;

namespace MdaiClara.Engine.Tests.Reporting;

/// <summary>What the tests read out of a report's HTML: its images (decoded), references, case order.</summary>
internal static partial class ReportHtmlInspection
{
    [GeneratedRegex("<img\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ImgTag();

    [GeneratedRegex("\\ssrc=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex SrcAttribute();

    [GeneratedRegex("\\s(?:src|href|srcset|action|data|poster|background)\\s*=\\s*[\"']?([^\"' >]*)", RegexOptions.IgnoreCase)]
    private static partial Regex AnyReference();

    [GeneratedRegex("<tr data-case-id=\"([^\"]*)\"><td class=\"num\">", RegexOptions.IgnoreCase)]
    private static partial Regex RankedRow();

    public static IReadOnlyList<string> ImageTags(string html) => ImgTag().Matches(html).Select(m => m.Value).ToList();

    public static IReadOnlyList<string> References(string html) => AnyReference().Matches(html).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Every img's src decoded from its data: URI; throws if one is not a base64 PNG data URI.</summary>
    public static IReadOnlyList<(byte[] Png, ImageResult Decoded)> Images(string html)
    {
        var result = new List<(byte[], ImageResult)>();
        foreach (var tag in ImageTags(html))
        {
            var src = SrcAttribute().Match(tag).Groups[1].Value;
            const string prefix = "data:image/png;base64,";
            if (!src.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"An img is not an embedded PNG: {src[..Math.Min(60, src.Length)]}");
            }

            var png = Convert.FromBase64String(src[prefix.Length..]);
            result.Add((png, ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha)));
        }

        return result;
    }

    /// <summary>The case ids of the "all measured cases" table, top to bottom (HTML-encoded as written).</summary>
    public static IReadOnlyList<string> RankedCaseIds(string html) => RankedRow().Matches(html).Select(m => m.Groups[1].Value).ToList();
}
