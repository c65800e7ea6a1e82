using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Dicom;

/// <summary>
/// Mutates real DICOM files (bit flips, overwritten lengths, truncation, inserted and deleted bytes) and reads each one
/// header, pixels and series assembly: every case must end in a result or an MdaiClaraException, quickly, never another exception.
/// Deterministic: the seed names every case, so a failure can be replayed.
/// </summary>
public class DicomFuzzTests
{
    private const int CasesPerFile = 80;

    [Fact]
    public async Task MutatedFilesGiveResultsOrSpecificErrors()
    {
        var sources = Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "corpus", "files"))
            .Concat(Directory.GetFiles(Path.Combine(TestPaths.Fixtures, "dicom", "series", "enhanced_multiframe")))
            .Where(f => new FileInfo(f).Length < 300_000)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        using var temp = new TempDirectory();
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        var cases = 0;
        foreach (var (source, index) in sources.Select((s, i) => (s, i)))
        {
            var original = File.ReadAllBytes(source);
            for (var n = 0; n < CasesPerFile; n++)
            {
                var seed = (index * 1000) + n;
                var (bytes, what) = Mutate(original, new Random(seed));
                var path = Path.Combine(temp.Path, $"case-{seed}.dcm");
                File.WriteAllBytes(path, bytes);
                var run = Task.Run(() => ReadEverything(path));
                if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))) != run)
                {
                    failures.Add($"{Path.GetFileName(source)} seed {seed} ({what}): did not finish in 10 s");
                    continue;
                }

                var outcome = await run;
                if (outcome.StartsWith("unexpected", StringComparison.Ordinal))
                {
                    failures.Add($"{Path.GetFileName(source)} seed {seed} ({what}): {outcome}");
                }

                outcomes[outcome.Split(':')[0]] = outcomes.GetValueOrDefault(outcome.Split(':')[0]) + 1;
                cases++;
                File.Delete(path);
            }
        }

        Assert.True(cases >= 2500, $"only {cases} cases ran");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
        // The mutations must reach both outcomes, or the test proves nothing.
        Assert.True(outcomes.GetValueOrDefault("ok") > 100 && outcomes.Keys.Count(k => k != "ok") > 2, string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
    }

    private static string ReadEverything(string path)
    {
        try
        {
            var file = DicomFileReader.Read(path);
            DicomInstanceHeader.From(file);
            if (file.PixelDataElement is null)
            {
                return "ok";
            }

            using (var pixels = DicomPixelData.Open(file))
            {
                for (var frame = 0; frame < Math.Min(pixels.NumberOfFrames, 3); frame++)
                {
                    pixels.DecodeFrame(frame);
                }
            }

            // And the whole path an import takes: scan, geometry checks, output type, parallel decode.
            var scan = DicomSeriesAssembler.Scan(new[] { path });
            foreach (var series in scan.Series)
            {
                DicomSeriesAssembler.Assemble(series);
            }

            return scan.Skipped.Count > 0 ? scan.Skipped[0].ErrorId + ":" : "ok";
        }
        catch (MdaiClaraException ex)
        {
            return ex.ErrorId + ":";
        }
        catch (Exception ex)
        {
            return $"unexpected {ex.GetType().Name}: {ex.Message} {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
        }
    }

    private static (byte[] Bytes, string What) Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        var at = random.Next(Math.Max(1, bytes.Length));
        switch (random.Next(7))
        {
            case 0:
                for (var k = random.Next(1, 9); k > 0; k--)
                {
                    var p = random.Next(bytes.Length);
                    bytes[p] ^= (byte)(1 << random.Next(8));
                }

                return (bytes, "bit flips");
            case 1:
                var length = new[] { 0xFFFFFFFFu, 0xFFFFFFF0u, 0x7FFFFFFFu, 0x00010000u, 0u, (uint)random.Next() }[random.Next(6)];
                if (at + 4 <= bytes.Length)
                {
                    BitConverter.GetBytes(length).CopyTo(bytes, at);
                }

                return (bytes, $"uint32 {length:X8} at {at}");
            case 2:
                return (bytes[..at], $"truncated at {at}");
            case 3:
                var insert = new byte[random.Next(1, 16)];
                random.NextBytes(insert);
                return (bytes[..at].Concat(insert).Concat(bytes[at..]).ToArray(), $"{insert.Length} bytes inserted at {at}");
            case 4:
                var cut = Math.Min(bytes.Length - at, random.Next(1, 32));
                return (bytes[..at].Concat(bytes[(at + cut)..]).ToArray(), $"{cut} bytes removed at {at}");
            case 5:
                // Hit the header where the lengths and VRs are.
                var head = Math.Min(bytes.Length, 2048);
                for (var k = 0; k < 4; k++)
                {
                    bytes[random.Next(head)] = (byte)random.Next(256);
                }

                return (bytes, "header bytes overwritten");
            default:
                var size = random.Next(1, 64);
                var from = random.Next(Math.Max(1, bytes.Length - size));
                var to = random.Next(Math.Max(1, bytes.Length - size));
                Array.Copy(bytes, from, bytes, to, Math.Min(size, bytes.Length - Math.Max(from, to)));
                return (bytes, $"{size} bytes copied from {from} to {to}");
        }
    }
}
