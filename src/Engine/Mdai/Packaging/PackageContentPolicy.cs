using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>What an MMAR's package carries: the MMAR files it keeps, those it leaves out and why, and what to warn about.</summary>
public sealed record PackageContents(IReadOnlyList<string> Files, IReadOnlyList<MdaiPackageLeftOut> LeftOut, IReadOnlyList<string> Warnings);

/// <summary>
/// Decides which files of an MMAR go into its MD.ai package: only what inference needs. Each file gets the first
/// answer of, in this order:
/// <list type="number">
/// <item>files inference cannot run without (the inference config, environment.json, infer.sh, set_env.sh, the dataset
/// JSON, the model file the config loads) are always kept; an exclude pattern that names one is an error;</item>
/// <item>an exclude pattern leaves a file out (<see cref="PackageLeftOutReason.Excluded"/>);</item>
/// <item>an include pattern keeps it, whatever the rules below would say;</item>
/// <item>version-control folders and files, Python/Jupyter caches, evaluation output (MMAR_EVAL_OUTPUT_PATH, eval/) and
/// dataset folders (DATA_ROOT inside the MMAR, data/, imagesTr/ …) are left out;</item>
/// <item>a file a component of the inference config names (a lookup table, an atlas) is kept;</item>
/// <item>image data, by name (.nii, .nii.gz, .dcm, .mha, .nrrd …) or by content (a NIfTI header, the DICM marker), is left out;</item>
/// <item>model files the config does not load (model.pt beside the TorchScript it loads, and the reverse; other
/// checkpoints in models/) are left out;</item>
/// <item>files in config/, commands/, resources/, docs/, custom/ (and folders the scripts name under $MMAR_ROOT), and
/// README/LICENSE/NOTICE files at the top, are kept;</item>
/// <item>anything else is left out (<see cref="PackageLeftOutReason.NotNeeded"/>).</item>
/// </list>
/// A folder whose files are all left out for one folder-wide reason is reported once, as "folder/".
/// The answer depends on the MMAR's files and the patterns only, so the same MMAR gives the same package.
/// </summary>
public static class PackageContentPolicy
{
    private static readonly string[] VersionControlFolders = [".git", ".svn", ".hg", ".bzr"];

    private static readonly string[] VersionControlFiles = [".gitignore", ".gitattributes", ".gitmodules", ".gitkeep", ".hgignore", ".hgtags"];

    private static readonly string[] CacheFolders = ["__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache"];

    private static readonly string[] TopLevelDocs = ["readme", "license", "licence", "notice", "copying"];

    public static PackageContents Select(MmarAnalysis analysis, MdaiDeploySettings settings, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude, CancellationToken cancellationToken = default)
    {
        var includes = (include ?? []).Select(p => MmarPathPattern.Parse(p, "include")).ToList();
        var excludes = (exclude ?? []).Select(p => MmarPathPattern.Parse(p, "exclude")).ToList();
        var roles = MmarFileRoles.Of(analysis, settings);
        var source = analysis.Source;
        var kept = new List<string>();
        var warnings = new List<string>();
        var decisions = new List<(string File, PackageLeftOutReason Reason, string? Folder, string Detail)>();

        foreach (var file in source.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var excludedBy = excludes.FirstOrDefault(p => p.Matches(file));
            if (roles.Required.TryGetValue(file, out var why))
            {
                if (excludedBy is not null)
                {
                    throw new MdaiClaraException(
                        $"The exclude pattern '{excludedBy.Text}' names {file}, which inference needs ({why}); narrow the pattern so that it leaves that file in.",
                        ErrorIds.MdaiPackageOptionInvalid, ErrorKind.InvalidArgument, excludedBy.Text);
                }

                kept.Add(file);
                continue;
            }

            if (excludedBy is not null)
            {
                decisions.Add((file, PackageLeftOutReason.Excluded, null, $"the exclude pattern '{excludedBy.Text}' names it"));
                continue;
            }

            if (includes.Any(p => p.Matches(file)))
            {
                kept.Add(file);
                continue;
            }

            if (Decide(file, roles, source, warnings) is { } leftOut)
            {
                decisions.Add((file, leftOut.Reason, leftOut.Folder, leftOut.Detail));
            }
            else
            {
                kept.Add(file);
            }
        }

        foreach (var (pattern, role) in includes.Select(p => (p, "include")).Concat(excludes.Select(p => (p, "exclude"))))
        {
            if (!source.Files.Any(pattern.Matches))
            {
                warnings.Add($"The {role} pattern '{pattern.Text}' names no file of the MMAR.");
            }
        }

        return new PackageContents(kept, Collapse(decisions, source), warnings);
    }

    /// <summary>The error for an MMAR file that cannot be read while packaging.</summary>
    internal static MdaiClaraException Unreadable(string entry, Exception inner) =>
        new($"Cannot read {entry} from the MMAR: {inner.Message.TrimEnd('.')}. Nothing was written; check that the MMAR is complete and readable.",
            ErrorIds.MdaiPackageRefused, ErrorKind.InvalidData, entry, inner);

    /// <summary>Rules 4 to 9 for one file: null keeps it.</summary>
    private static (PackageLeftOutReason Reason, string? Folder, string Detail)? Decide(string file, MmarFileRoles roles, MmarFileSource source, List<string> warnings)
    {
        var segments = file.Split('/');
        var name = segments[^1];
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var folder = string.Join('/', segments.Take(i + 1));
            if (VersionControlFolders.Contains(segments[i], StringComparer.OrdinalIgnoreCase))
            {
                return (PackageLeftOutReason.VersionControl, folder, $"version-control metadata ({segments[i]})");
            }

            if (CacheFolders.Contains(segments[i], StringComparer.OrdinalIgnoreCase))
            {
                return (PackageLeftOutReason.Cache, folder, $"a cache ({segments[i]})");
            }
        }

        if (VersionControlFiles.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return (PackageLeftOutReason.VersionControl, null, "a version-control file");
        }

        if (name.EndsWith(".pyc", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pyo", StringComparison.OrdinalIgnoreCase))
        {
            return (PackageLeftOutReason.Cache, null, "compiled Python");
        }

        if (roles.EvaluationFolders.FirstOrDefault(f => MmarFileRoles.IsUnder(file, f.Key)) is { Key: not null } evaluation)
        {
            return (PackageLeftOutReason.EvaluationOutput, evaluation.Key, evaluation.Value);
        }

        if (roles.DatasetFolders.FirstOrDefault(f => MmarFileRoles.IsUnder(file, f.Key)) is { Key: not null } dataset)
        {
            return (PackageLeftOutReason.Dataset, dataset.Key, dataset.Value);
        }

        var image = Sniff(file, source);
        if (roles.NamedByConfig.TryGetValue(file, out var namedBy))
        {
            if (image is not null)
            {
                warnings.Add($"{file} is image data ({image.Evidence}); it is packaged because {namedBy}. A package holding image data fails publishing's verification unless an include pattern names the file.");
            }

            return null;
        }

        if (image is not null)
        {
            return (PackageLeftOutReason.ImageData, null, $"a {image.Format} image ({image.Evidence}): possibly patient data");
        }

        if (roles.ModelsNotLoaded.TryGetValue(file, out var notLoaded))
        {
            return (PackageLeftOutReason.ModelNotLoaded, null, notLoaded);
        }

        if (roles.LoadedModel is { } loaded && MmarFileRoles.IsModelFile(file) && roles.ModelFolders.Any(f => MmarFileRoles.IsUnder(file, f)))
        {
            return (PackageLeftOutReason.ModelNotLoaded, null, $"the inference config loads {loaded}, not this file");
        }

        if (roles.DeclaredFiles.Contains(file)
            || roles.DeclaredFolders.Any(f => MmarFileRoles.IsUnder(file, f))
            || (segments.Length == 1 && TopLevelDocs.Any(d => name.StartsWith(d, StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        var top = segments.Length > 1 && !roles.ModelFolders.Contains(segments[0]) ? segments[0] : null;
        return (PackageLeftOutReason.NotNeeded, top,
            roles.LoadedModel is { } model && roles.ModelFolders.Any(f => MmarFileRoles.IsUnder(file, f))
                ? $"beside the model file; inference reads {model} only"
                : $"inference reads none of it (it reads {string.Join(", ", MmarFileRoles.StandardFolders.Select(f => f + "/"))} and the model file)");
    }

    private static ImageDataMatch? Sniff(string file, MmarFileSource source)
    {
        try
        {
            using var stream = source.OpenRead(file);
            return ImageDataSniffer.Classify(file, stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw Unreadable(file, ex);
        }
    }

    /// <summary>One entry per folder whose every file went for the same folder-wide reason; one per file otherwise.</summary>
    private static List<MdaiPackageLeftOut> Collapse(List<(string File, PackageLeftOutReason Reason, string? Folder, string Detail)> decisions, MmarFileSource source)
    {
        var entries = new List<MdaiPackageLeftOut>();
        foreach (var group in decisions.GroupBy(d => (d.Folder, d.Reason)))
        {
            var files = group.ToList();
            if (group.Key.Folder is { } folder && files.Count == source.FilesUnder(folder).Count())
            {
                entries.Add(new MdaiPackageLeftOut(folder + "/", group.Key.Reason, files.Count, files.Sum(f => source.GetLength(f.File)), files[0].Detail));
                continue;
            }

            entries.AddRange(files.Select(f => new MdaiPackageLeftOut(f.File, f.Reason, 1, source.GetLength(f.File), f.Detail)));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }
}
