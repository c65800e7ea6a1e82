namespace MdaiClara.Engine.Errors;

/// <summary>Error identifiers of reading a model's output for MD.ai validation (src/Engine/Mdai/MdaiOutputJson.cs).</summary>
public static partial class ErrorIds
{
    /// <summary>The JSON file with the model's output does not exist.</summary>
    public const string MdaiOutputNotFound = "MdaiOutputNotFound";

    /// <summary>The JSON file exists but cannot be read (access denied, I/O error).</summary>
    public const string MdaiOutputReadFailed = "MdaiOutputReadFailed";

    /// <summary>The text is not JSON; the message has the line and column.</summary>
    public const string MdaiOutputJsonInvalid = "MdaiOutputJsonInvalid";

    /// <summary>A value has no Python counterpart (a .NET object such as a FileInfo or an enum value) or nests too deep.</summary>
    public const string MdaiOutputValueUnsupported = "MdaiOutputValueUnsupported";
}
