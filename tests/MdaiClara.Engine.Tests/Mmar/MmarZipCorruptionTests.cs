using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

/// <summary>
/// Damaged zipped MMARs (issue 8's fuzz probe): every read path (central directory, entry headers, entry data) gives
/// MmarZipCorrupt naming the zip and, where one is at fault, the entry; never a bare InvalidDataException.
/// </summary>
public class MmarZipCorruptionTests
{
    [Fact]
    public void ACentralDirectoryOffsetOfZeroIsMmarZipCorrupt()
    {
        using var temp = new TempDirectory();
        var zipPath = temp.Zip(TestPaths.SampleMmar, "mmar.zip");
        var bytes = File.ReadAllBytes(zipPath);
        var eocd = LastIndexOf(bytes, [(byte)'P', (byte)'K', 5, 6]);
        BitConverter.GetBytes(0u).CopyTo(bytes, eocd + 16);
        File.WriteAllBytes(zipPath, bytes);

        var ex = Assert.Throws<MdaiClaraException>(() => MmarLocator.Open(zipPath));

        Assert.Equal(ErrorIds.MmarZipCorrupt, ex.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, ex.Kind);
        Assert.Contains(zipPath, ex.Message);
        Assert.Contains("central directory", ex.Message);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void DamagedCompressedDataOfAConfigIsMmarZipCorruptNamingTheEntry()
    {
        using var temp = new TempDirectory();
        var zipPath = temp.Zip(TestPaths.SampleMmar, "mmar.zip");
        var bytes = File.ReadAllBytes(zipPath);
        var data = EntryDataOffset(bytes, "config/environment.json", expectMethod: 8);
        bytes[data] = 0xFF; // a final deflate block of the reserved type 3
        File.WriteAllBytes(zipPath, bytes);

        using (var source = MmarLocator.Open(zipPath))
        {
            var ex = Assert.Throws<MdaiClaraException>(() => source.ReadAllBytes("config/environment.json", 1 << 20));

            Assert.Equal(ErrorIds.MmarZipCorrupt, ex.ErrorId);
            Assert.Contains("config/environment.json", ex.Message);
            Assert.Contains(zipPath, ex.Message);
        }

        // The analysis (Get-Mmar, Test-Mmar) lists it as unreadable, which Test-Mmar reports as a finding.
        var analysis = MmarAnalyzer.Open(zipPath);
        var unreadable = Assert.Single(analysis.UnreadableFiles, u => u.Path == "config/environment.json");
        Assert.Contains("damaged", unreadable.Reason);
    }

    [Fact]
    public void ADamagedModelEntryIsReportedAsNotAModelByTheAnalysis()
    {
        using var temp = new TempDirectory();
        var zipPath = temp.Zip(TestPaths.SampleMmar, "mmar.zip");
        var bytes = File.ReadAllBytes(zipPath);
        var central = CentralHeaderOffset(bytes, "models/model.ts");
        BitConverter.GetBytes((ushort)99).CopyTo(bytes, central + 10);
        File.WriteAllBytes(zipPath, bytes);

        var analysis = MmarAnalyzer.Open(zipPath);

        Assert.NotNull(analysis.Info.TorchScript);
        Assert.Equal(ModelFileFormat.NotAModel, analysis.Info.TorchScript!.Format);
        Assert.Contains("damaged", analysis.Info.TorchScript.FormatDetail);
    }

    [Fact]
    public void AnUnsupportedCompressionMethodIsMmarZipCorruptWhenTheEntryIsRead()
    {
        using var temp = new TempDirectory();
        var zipPath = temp.Zip(TestPaths.SampleMmar, "mmar.zip");
        var bytes = File.ReadAllBytes(zipPath);
        var central = CentralHeaderOffset(bytes, "models/model.ts");
        BitConverter.GetBytes((ushort)99).CopyTo(bytes, central + 10); // AE-x encryption: not readable here
        File.WriteAllBytes(zipPath, bytes);

        using var source = MmarLocator.Open(zipPath);
        var ex = Assert.Throws<MdaiClaraException>(() => source.ReadAllBytes("models/model.ts", long.MaxValue));

        Assert.Equal(ErrorIds.MmarZipCorrupt, ex.ErrorId);
        Assert.Contains("models/model.ts", ex.Message);
    }

    private static int LastIndexOf(byte[] bytes, byte[] pattern)
    {
        for (var i = bytes.Length - pattern.Length; i >= 0; i--)
        {
            if (bytes.AsSpan(i, pattern.Length).SequenceEqual(pattern))
            {
                return i;
            }
        }

        throw new InvalidOperationException("pattern not found");
    }

    private static int CentralHeaderOffset(byte[] bytes, string name)
    {
        var needle = Encoding.ASCII.GetBytes(name);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2
                && BitConverter.ToUInt16(bytes, i + 28) == needle.Length && bytes.AsSpan(i + 46, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no central header for {name}");
    }

    private static int EntryDataOffset(byte[] bytes, string name, int expectMethod)
    {
        var central = CentralHeaderOffset(bytes, name);
        Assert.Equal(expectMethod, BitConverter.ToUInt16(bytes, central + 10));
        var local = (int)BitConverter.ToUInt32(bytes, central + 42);
        return local + 30 + BitConverter.ToUInt16(bytes, local + 26) + BitConverter.ToUInt16(bytes, local + 28);
    }
}
