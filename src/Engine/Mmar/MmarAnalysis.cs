using System.Collections.Generic;

namespace MdaiClara.Engine.Mmar;

/// <summary>A placeholder no variable defines, with the file it sits in.</summary>
public sealed record UnresolvedReference(string File, string Name, string JsonPointer, SourceLocation? Location);

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

    /// <summary>The evidence the generation was judged from, for messages.</summary>
    public required IReadOnlyList<string> GenerationEvidence { get; init; }

    /// <summary>The parsed dataset JSON, when it ships inside the MMAR.</summary>
    public ParsedJsonFile? DatasetJsonFile { get; init; }
}
