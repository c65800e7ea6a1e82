using System;

namespace MdaiClara.Engine.Bundles;

/// <summary>Why a config value could not be resolved.</summary>
public enum ConfigProblemKind
{
    /// <summary>"@id" names no item of the config.</summary>
    MissingReference,

    /// <summary>Items refer to each other in a circle.</summary>
    CircularReference,

    /// <summary>A "$" expression outside the allow-list (or one MONAI itself could not evaluate).</summary>
    ExpressionRefused,

    /// <summary>A "%file::id" macro whose file or id does not exist.</summary>
    MacroUnresolved,

    /// <summary>A relative id ("@::::x") that climbs above the config's root.</summary>
    RelativeIdOutOfRange,

    /// <summary>A component whose _target_ or _mode_ MONAI would not accept.</summary>
    InvalidComponent,

    /// <summary>A path that leads outside the bundle ('..', an absolute path elsewhere).</summary>
    PathEscapesBundle,
}

/// <summary>One problem met while resolving a config: what, where (file:line:column), and the text concerned.</summary>
public sealed record ConfigProblem(ConfigProblemKind Kind, string Message, ConfigPosition Position, string? Id = null, string? Text = null)
{
    public override string ToString() => $"{Position}: {Message}";
}

/// <summary>Resolution stopped: the problem says why and where.</summary>
public sealed class ConfigResolutionException : Exception
{
    public ConfigResolutionException(ConfigProblem problem)
        : base(problem.ToString()) => Problem = problem;

    public ConfigProblem Problem { get; }
}
