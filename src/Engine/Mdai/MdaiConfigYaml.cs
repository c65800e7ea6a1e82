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
    public static string Build(string deviceType, string claraVersion) => Write(new YamlMappingNode
    {
        { "base_image", "nvidia" },
        { "device_type", deviceType },
        { new YamlScalarNode("clara_version"), new YamlScalarNode(claraVersion) { Style = ScalarStyle.DoubleQuoted } },
    });

    /// <summary>config.yaml for one of MD.ai's Python images (a MONAI bundle): base_image pyXY, the device type, and for GPU the CUDA version (quoted: 11.0 would be a float).</summary>
    public static string BuildPython(string pythonImage, string deviceType, string cudaVersion)
    {
        var root = new YamlMappingNode { { "base_image", pythonImage }, { "device_type", deviceType } };
        if (deviceType == "gpu")
        {
            root.Add(new YamlScalarNode("cuda_version"), new YamlScalarNode(cudaVersion) { Style = ScalarStyle.DoubleQuoted });
        }

        return Write(root);
    }

    private static string Write(YamlMappingNode root)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // YamlDotNet ends a document with "...": MD.ai's yaml.safe_load accepts it, but a plain file reads better.
        return text.EndsWith("...\n", System.StringComparison.Ordinal) ? text[..^4] : text;
    }
}
