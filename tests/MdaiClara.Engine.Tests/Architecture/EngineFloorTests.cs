using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Architecture;

/// <summary>
/// The engine's floors (ARCHITECTURE.md): each folder imports only folders on lower floors (peers of floor 5 and 6 may
/// use each other), no model format knows another, and what runs a model (Inference, Evaluation, the -Deep probe,
/// MD.ai outputs) reads the one model description (Models), never a format's own types.
/// </summary>
public sealed partial class EngineFloorTests
{
    private static readonly Dictionary<string, int> Floors = new(StringComparer.Ordinal)
    {
        ["Errors"] = 1, ["IO"] = 1, ["Logging"] = 1, ["Diagnostics"] = 1, ["Configs"] = 1,
        ["Mmar"] = 2, ["Bundles"] = 2, ["Imaging"] = 2,
        ["Models"] = 3,
        ["Inference"] = 4,
        ["Validation"] = 5, ["Metrics"] = 5, ["Mdai"] = 5, ["Networking"] = 5,
        ["Publishing"] = 6, ["Evaluation"] = 6, ["Reporting"] = 6, ["Serving"] = 6, ["Workflows"] = 6,
    };

    /// <summary>Files that are about packaging an MMAR for MD.ai's Clara image: MMAR-specific by nature.</summary>
    private static readonly HashSet<string> MmarPackagingFiles = new(StringComparer.Ordinal)
    {
        "Mdai/MdaiPackageBuilder.cs",
        "Mdai/MdaiDeploySettingsFactory.cs",
        "Mdai/Packaging/MmarFileRoles.cs",
        "Mdai/Packaging/PackageContentPolicy.cs",
    };

    /// <summary>
    /// MD.ai packaging lays out one format's own files (an MMAR for the Clara image, a bundle for a Python image), so it
    /// may read that format; MD.ai outputs, annotations and the output validator may not.
    /// </summary>
    private static bool IsFormatPackaging(string file) =>
        MmarPackagingFiles.Contains(file)
        || file.StartsWith("Mdai/Packaging/", StringComparison.Ordinal)
        || file == "Mdai/MdaiBundlePackageBuilder.cs";

    private static string EngineRoot => Path.Combine(TestPaths.RepoRoot, "src", "Engine");

    /// <summary>Every engine source file (relative, '/'-separated) with the engine namespaces it names outside comments.</summary>
    private static IEnumerable<(string File, string Top, HashSet<string> Imports)> Sources() =>
        Directory.EnumerateFiles(EngineRoot, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(EngineRoot, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal) && f.Contains('/', StringComparison.Ordinal))
            .Select(f =>
            {
                var code = CommentLine().Replace(File.ReadAllText(Path.Combine(EngineRoot, f)), string.Empty);
                var imports = EngineNamespace().Matches(code).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
                return (f, f[..f.IndexOf('/', StringComparison.Ordinal)], imports);
            });

    [Fact]
    public void EveryEngineFolderHasAFloor()
    {
        var unplaced = Directory.EnumerateDirectories(EngineRoot).Select(d => Path.GetFileName(d)).Where(n => n is not "obj" and not "bin" && !Floors.ContainsKey(n)).ToList();
        Assert.Equal(Array.Empty<string>(), unplaced);
    }

    [Fact]
    public void NoImportRunsUpTheFloors()
    {
        var violations = Sources()
            .SelectMany(s => s.Imports.Where(i => i != s.Top && Floors.TryGetValue(i, out var to) && Floors.TryGetValue(s.Top, out var from) && (to > from || (from <= 3 && to == from)))
                .Select(i => $"{s.File} imports {i}"))
            .ToList();
        Assert.Empty(violations);
    }

    [Fact]
    public void WhatRunsAModelReadsOnlyTheModelDescription()
    {
        bool Consumer(string file) =>
            file.StartsWith("Inference/", StringComparison.Ordinal)
            || file.StartsWith("Evaluation/", StringComparison.Ordinal)
            || file.StartsWith("Validation/Deep/", StringComparison.Ordinal)
            || (file.StartsWith("Mdai/", StringComparison.Ordinal) && !IsFormatPackaging(file));
        var violations = Sources()
            .Where(s => Consumer(s.File) && (s.Imports.Contains("Mmar") || s.Imports.Contains("Bundles") || QualifiedFormat().IsMatch(File.ReadAllText(Path.Combine(EngineRoot, s.File)))))
            .Select(s => s.File)
            .ToList();
        Assert.Empty(violations);
    }

    [Fact]
    public void TheCheckSeesAnImportWhenThereIsOne()
    {
        // The consumers' check must not pass by reading nothing: the MMAR packaging files it exempts do import Mmar.
        var sources = Sources().ToDictionary(s => s.File);
        Assert.All(MmarPackagingFiles, f => Assert.Contains("Mmar", sources[f].Imports));
        Assert.Contains("Models", sources["Inference/Pipeline/ClaraInferenceSession.cs"].Imports);
    }

    [GeneratedRegex(@"^\s*//.*$", RegexOptions.Multiline)]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"\bMdaiClara\.Engine\.(\w+)")]
    private static partial Regex EngineNamespace();

    /// <summary>A format's namespace named relative to the engine (<c>Mmar.MmarInfo</c>) instead of through a using.</summary>
    [GeneratedRegex(@"(?<![\w.""])(Mmar|Bundles)\.[A-Z]\w*")]
    private static partial Regex QualifiedFormat();
}
