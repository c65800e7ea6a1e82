using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// model/.mdai/config.yaml for MD.ai's builder: base_image nvidia, the device type, and clara_version as a quoted
/// string (a bare 4.1.0 is fine but a bare 4.0 is read as a float and fails MD.ai's string comparison).
/// </summary>
public static class MdaiConfigYaml
{
    public static string Build(string deviceType, string claraVersion)
    {
        var root = new YamlMappingNode
        {
            { "base_image", "nvidia" },
            { "device_type", deviceType },
            { new YamlScalarNode("clara_version"), new YamlScalarNode(claraVersion) { Style = ScalarStyle.DoubleQuoted } },
        };
        using var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // YamlDotNet ends a document with "...": MD.ai's yaml.safe_load accepts it, but a plain file reads better.
        return text.EndsWith("...\n", System.StringComparison.Ordinal) ? text[..^4] : text;
    }
}
