using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>
/// MD.ai's annotation export JSON (mdai-contract §8.1): the project, its labels (flattened from label groups), datasets
/// and every annotation. Read once, queried by label or instance; never modified.
/// </summary>
public sealed class MdaiAnnotationExport
{
    private readonly Dictionary<string, MdaiLabel> _labelsById;

    internal MdaiAnnotationExport(string source, string? projectId, string? name, IReadOnlyList<MdaiLabel> labels, IReadOnlyList<MdaiDataset> datasets, IReadOnlyList<MdaiAnnotation> annotations)
    {
        Source = source;
        ProjectId = projectId;
        Name = name;
        Labels = labels;
        Datasets = datasets;
        Annotations = annotations;
        _labelsById = new Dictionary<string, MdaiLabel>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            _labelsById.TryAdd(label.Id, label);
        }
    }

    /// <summary>The file it was read from.</summary>
    public string Source { get; }

    /// <summary>The project's id (top-level id), when exported.</summary>
    public string? ProjectId { get; }

    /// <summary>The project's name, when exported.</summary>
    public string? Name { get; }

    /// <summary>Every label of every label group, in the export's order.</summary>
    public IReadOnlyList<MdaiLabel> Labels { get; }

    public IReadOnlyList<MdaiDataset> Datasets { get; }

    /// <summary>Every annotation of every dataset, in the export's order.</summary>
    public IReadOnlyList<MdaiAnnotation> Annotations { get; }

    /// <summary>Reads and checks an export file.</summary>
    /// <exception cref="MdaiClaraException">MdaiAnnotationExportNotFound, MdaiAnnotationExportReadFailed, or
    /// MdaiAnnotationExportInvalid naming the file, line:column and what is wrong.</exception>
    public static MdaiAnnotationExport Read(string path, CancellationToken ct)
    {
        if (Directory.Exists(path))
        {
            throw new MdaiClaraException($"'{path}' is a folder; give the annotation export JSON file MD.ai wrote (mdai_…_annotations_….json).", ErrorIds.MdaiAnnotationExportReadFailed, ErrorKind.InvalidArgument, path);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MdaiClaraException($"Cannot find the MD.ai annotation export '{path}'.", ErrorIds.MdaiAnnotationExportNotFound, ErrorKind.ObjectNotFound, path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var kind = ex is UnauthorizedAccessException ? ErrorKind.SecurityError : ErrorKind.ResourceUnavailable;
            throw new MdaiClaraException($"Cannot read the MD.ai annotation export '{path}': {ex.Message}", ErrorIds.MdaiAnnotationExportReadFailed, kind, path, ex);
        }

        return Parse(bytes, path, ct);
    }

    /// <summary>Parses export JSON already in memory; <paramref name="source"/> names it in messages.</summary>
    public static MdaiAnnotationExport Parse(byte[] utf8, string source, CancellationToken ct) =>
        new MdaiAnnotationExportReader(utf8, source, ct).Read();

    /// <summary>The label with this id, or null.</summary>
    public MdaiLabel? FindLabel(string id) => _labelsById.GetValueOrDefault(id);

    /// <summary>
    /// The labels a name or id selects: an exact id (L_…) or a name, case-insensitive, compared with name and short name.
    /// </summary>
    /// <exception cref="MdaiClaraException">MdaiAnnotationLabelUnknown, listing the labels there are.</exception>
    public IReadOnlyList<MdaiLabel> ResolveLabel(string nameOrId)
    {
        if (_labelsById.TryGetValue(nameOrId, out var byId))
        {
            return [byId];
        }

        var byName = Labels.Where(l => string.Equals(l.Name, nameOrId, StringComparison.OrdinalIgnoreCase) || string.Equals(l.ShortName, nameOrId, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byName.Count == 0)
        {
            var known = Labels.Count == 0 ? "it has no labels" : "its labels are " + string.Join(", ", Labels.Take(30).Select(l => $"'{l.Name}' ({l.Id})")) + (Labels.Count > 30 ? $" and {Labels.Count - 30} more" : string.Empty);
            throw new MdaiClaraException($"'{nameOrId}' is not a label name or id of {Source}: {known}.", ErrorIds.MdaiAnnotationLabelUnknown, ErrorKind.ObjectNotFound, nameOrId);
        }

        return byName;
    }

    public override string ToString() => $"{Name ?? ProjectId ?? Source}: {Labels.Count} labels, {Annotations.Count} annotations";
}
