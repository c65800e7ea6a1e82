using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using MdaiClara.Engine.Reporting;
using StbImageSharp;
using Xunit;
using Xunit.Abstractions;

namespace MdaiClara.Engine.Tests.Reporting;

/// <summary>
/// The report as a person sees it: rendered by Debian's headless chromium. A probe copy of the page (the report plus
/// one inline script, its content security policy widened for that script only) sets the title to "images-ok N" only
/// when every image decoded (naturalWidth &gt; 0) and no script error fired; the DOM chromium dumps shows the title.
/// The report itself is screenshotted; the screenshot must be a real picture (not blank), and chromium's log must hold
/// no console error (a blocked or failed load would log one). The last report and screenshot stay in
/// bin/…/report-sample/ for a human to look at.
/// </summary>
public sealed partial class ReportChromiumTests
{
    private const string Probe = """
        <script>
        var probeErrors = 0;
        window.onerror = function () { probeErrors++; };
        window.addEventListener('load', function () {
          var images = Array.prototype.slice.call(document.images);
          var bad = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0 && i.naturalHeight > 0); });
          document.title = (images.length > 0 && bad.length === 0 && probeErrors === 0)
            ? 'images-ok ' + images.length : 'images-bad ' + bad.length + ' of ' + images.length + ', errors ' + probeErrors;
          console.log('probe done: ' + document.title);
        });
        </script>
        """;

    private readonly ITestOutputHelper _output;

    public ReportChromiumTests(ITestOutputHelper output) => _output = output;

    public static string SampleFolder => Path.Combine(AppContext.BaseDirectory, "report-sample");

    [Fact]
    public void Chromium_renders_the_segmentation_report_with_every_image_decoded_and_no_console_error() =>
        RenderAndCheck(SyntheticReports.Segmentation(), "segmentation");

    [Fact]
    public void Chromium_renders_the_classification_report_with_every_image_decoded_and_no_console_error() =>
        RenderAndCheck(SyntheticReports.Classification(), "classification");

    private void RenderAndCheck(ValidationReport report, string name)
    {
        Directory.CreateDirectory(SampleFolder);
        var page = Path.Combine(SampleFolder, name + ".html");
        ValidationReportWriter.Write(report, page, CancellationToken.None);
        var html = File.ReadAllText(page);
        var expectedImages = ReportHtmlInspection.ImageTags(html).Count;
        Assert.True(expectedImages > 0);

        var scratch = Path.Combine(SampleFolder, "chromium-" + name);
        var (title, probeLog) = RunProbe(html, Path.Combine(SampleFolder, name + ".probe.html"), scratch);
        Assert.Equal($"images-ok {expectedImages}", title);
        Assert.Contains("probe done: images-ok", probeLog, StringComparison.Ordinal); // the console log is captured…
        AssertNoConsoleError(probeLog);                                               // …and holds no error

        var screenshot = Path.Combine(SampleFolder, name + ".png");
        File.Delete(screenshot);
        var (_, shotLog) = HeadlessChromium.Run(page, scratch, "--screenshot=" + screenshot, "--window-size=1400,3000", "--hide-scrollbars");
        AssertNoConsoleError(shotLog);
        Assert.True(File.Exists(screenshot), $"chromium wrote no screenshot; its log:\n{shotLog}");
        var picture = ImageResult.FromMemory(File.ReadAllBytes(screenshot), ColorComponents.RedGreenBlue);
        Assert.Equal((1400, 3000), (picture.Width, picture.Height));
        var nonWhite = 0;
        var colours = new System.Collections.Generic.HashSet<int>();
        for (var p = 0; p < picture.Data.Length; p += 3)
        {
            var rgb = (picture.Data[p] << 16) | (picture.Data[p + 1] << 8) | picture.Data[p + 2];
            colours.Add(rgb);
            nonWhite += rgb == 0xFFFFFF ? 0 : 1;
        }

        _output.WriteLine($"screenshot {screenshot}: {nonWhite} non-white pixels, {colours.Count} colours");
        Assert.True(nonWhite > picture.Width * picture.Height / 50, "the screenshot is not blank");
        Assert.True(colours.Count > 200, "the screenshot shows text and pictures, not a flat page");
        Directory.Delete(scratch, recursive: true);
    }

    [Fact]
    public void The_probe_catches_an_image_that_does_not_decode_and_an_external_reference()
    {
        Directory.CreateDirectory(SampleFolder);
        var html = ValidationReportWriter.Render(SyntheticReports.Classification(), ValidationReportOptions.Default, CancellationToken.None);
        var start = html.IndexOf("data:image/png;base64,", StringComparison.Ordinal) + "data:image/png;base64,".Length;
        var broken = html[..start] + "AAAA" + html[(start + 4)..]             // the first image's PNG signature damaged
            .Replace("</footer>", "<img src=\"http://127.0.0.1:9/x.png\" width=\"1\" height=\"1\" alt=\"\"></footer>", StringComparison.Ordinal);
        var scratch = Path.Combine(SampleFolder, "chromium-broken");
        var (title, log) = RunProbe(broken, Path.Combine(SampleFolder, "broken.probe.html"), scratch);
        Assert.Equal("images-bad 2 of 4, errors 0", title);
        Assert.Contains("Loading the image 'http://127.0.0.1:9/x.png' violates the following Content Security Policy directive", log, StringComparison.Ordinal);
        Assert.Throws<Xunit.Sdk.TrueException>(() => AssertNoConsoleError(log));
        Directory.Delete(scratch, recursive: true);
    }

    /// <summary>Writes the probe copy of <paramref name="html"/> and has chromium load it; returns the title it set and chromium's log.</summary>
    private (string Title, string Log) RunProbe(string html, string probe, string scratch)
    {
        Assert.Contains(ReportStyle.ContentSecurityPolicy, html, StringComparison.Ordinal);
        File.WriteAllText(probe, html
            .Replace(ReportStyle.ContentSecurityPolicy, ReportStyle.ContentSecurityPolicy.Replace("script-src 'none'", "script-src 'unsafe-inline'", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("</head>", Probe + "</head>", StringComparison.Ordinal));
        var (dom, log) = HeadlessChromium.Run(probe, scratch, "--dump-dom");
        var title = TitleOf().Match(dom).Groups[1].Value;
        _output.WriteLine($"probe title: {title}");
        return (title, log);
    }

    private static void AssertNoConsoleError(string log)
    {
        var console = log.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal)).ToList();
        var errors = console.Where(l => !l.Contains("probe done: images-ok", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "chromium logged console messages:\n" + string.Join("\n", errors));
        Assert.DoesNotContain("Content Security Policy", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to load resource", log, StringComparison.Ordinal);
    }

    [GeneratedRegex("<title>(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex TitleOf();
}
