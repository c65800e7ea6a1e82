using System;
using System.IO;
using System.IO.Compression;

namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>A scratch folder deleted after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mdaiclara-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts));

    /// <summary>Copies the sample MMAR here (under <paramref name="name"/>) so a test can break one thing.</summary>
    public string CopySample(string name = "mmar")
    {
        var target = Combine(name);
        CopyDirectory(TestPaths.SampleMmar, target);
        return target;
    }

    public string Write(string relative, string text)
    {
        var full = Combine(relative.Split('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Zips a folder; entries are prefixed with <paramref name="prefix"/> (e.g. "mmar/").</summary>
    public string Zip(string folder, string zipName, string prefix = "")
    {
        var zipPath = Combine(zipName);
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(folder, file).Replace('\\', '/');
            zip.CreateEntryFromFile(file, prefix + relative);
        }

        return zipPath;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static void CopyDirectory(string source, string target)
    {
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, dir)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file)));
        }
    }
}

internal static class PathExtensions
{
    public static string[] Concat(this string[] first, string[] second)
    {
        var result = new string[first.Length + second.Length];
        first.CopyTo(result, 0);
        second.CopyTo(result, first.Length);
        return result;
    }
}
