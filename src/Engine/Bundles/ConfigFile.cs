namespace MdaiClara.Engine.Bundles;

/// <summary>The syntax of a bundle config file.</summary>
public enum ConfigFileFormat
{
    Json,
    Yaml,
}

/// <summary>Why a config file does not parse, and where.</summary>
public sealed record ConfigSyntaxError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>One config file of a bundle as read: its root value with positions, or the syntax error that stopped it.</summary>
public sealed record ConfigFile(string RelativePath, ConfigFileFormat Format, ConfigNode? Root, ConfigSyntaxError? SyntaxError)
{
    public bool IsValid => SyntaxError is null && Root is not null;

    /// <summary>Reads JSON (.json) or YAML (.yaml, .yml) by the file's extension.</summary>
    public static ConfigFile Parse(string relativePath, byte[] bytes) =>
        relativePath.EndsWith(".json", System.StringComparison.OrdinalIgnoreCase)
            ? BundleJsonReader.Read(relativePath, bytes)
            : BundleYamlReader.Read(relativePath, bytes);
}
