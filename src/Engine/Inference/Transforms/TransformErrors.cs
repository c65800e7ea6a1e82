using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>The exceptions transforms and inferers throw, so every message names the component and what is wrong.</summary>
public static class TransformErrors
{
    /// <summary>An argument of <paramref name="component"/> is missing, of the wrong type or out of range.</summary>
    public static MdaiClaraException Argument(string component, string argument, string problem) =>
        new($"{component}: the argument '{argument}' {problem}.", ErrorIds.TransformArgumentInvalid, ErrorKind.InvalidArgument, component);

    /// <summary><paramref name="component"/> cannot work on the data it was given.</summary>
    public static MdaiClaraException Input(string component, string problem) =>
        new($"{component}: {problem}.", ErrorIds.TransformInputInvalid, ErrorKind.InvalidData, component);
}
