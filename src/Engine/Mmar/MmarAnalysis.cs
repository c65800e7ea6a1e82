using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar;

/// <summary>A placeholder no variable defines, with the file it sits in.</summary>
/// <summary>
/// A placeholder no variable defines, with the file it sits in. <see cref="StopsInference"/> when it is in a part Clara
/// instantiates for inference (the model, inferer, dataset, or an enabled pre/post-transform).
/// </summary>
public sealed record UnresolvedReference(string File, string Name, string JsonPointer, SourceLocation? Location, bool StopsInference = false);

/// <summary>A file of the MMAR that exists but could not be read (or not safely), and why.</summary>
public sealed record UnreadableFile(string Path, string Reason);

/// <summary>
/// Everything learned from one MMAR's files, with the parsed JSON kept so validation rules can point at
/// lines and columns. <see cref="MmarInfo"/> is the public summary of it.
/// </summary>
public sealed class MmarAnalysis
{
    public required MmarFileSource Source { get; init; }

    public required MmarInfo Info { get; init; }

    /// <summary>Every .json file of the MMAR, parsed (or with its syntax error).</summary>
    public required IReadOnlyDictionary<string, ParsedJsonFile> JsonFiles { get; init; }

    /// <summary>Files the MMAR itself names (by infer.sh) that do not exist.</summary>
    public required IReadOnlyList<(string Path, string NamedBy)> MissingNamedFiles { get; init; }

    public required string EnvironmentFile { get; init; }

    public string? TrainConfigFile { get; init; }

    /// <summary>The inference config file, when one was found (it may not parse).</summary>
    public string? InferenceConfigFile { get; init; }

    public required IReadOnlyList<MmarPathReference> PathReferences { get; init; }

    public required IReadOnlyList<UnresolvedReference> UnresolvedPlaceholders { get; init; }

    /// <summary>Files that exist but were not read: unreadable, too large, or links leaving the MMAR.</summary>
    public required IReadOnlyList<UnreadableFile> UnreadableFiles { get; init; }

    /// <summary>The files inference depends on; trouble with them is an error, elsewhere a warning.</summary>
    public IReadOnlyList<string> CoreFiles => new[]
        {
            EnvironmentFile, InferenceConfigFile, Info.DatasetJson?.RelativePath, "commands/infer.sh", "commands/set_env.sh", Info.TorchScript?.RelativePath,
        }
        .Where(f => f is not null)
        .Select(f => f!)
        .Distinct()
        .ToList();

    /// <summary>The evidence the generation was judged from, for messages.</summary>
    public required IReadOnlyList<string> GenerationEvidence { get; init; }

    /// <summary>The parsed dataset JSON, when it ships inside the MMAR.</summary>
    public ParsedJsonFile? DatasetJsonFile { get; init; }
}
