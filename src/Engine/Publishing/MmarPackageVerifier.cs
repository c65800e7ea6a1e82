using System.Collections.Generic;
using System.IO.Compression;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Mdai;

namespace MdaiClara.Engine.Publishing;

/// <summary>An MMAR package's zip read back: the layout MD.ai's Clara builder needs, config.yaml as YAML, environment.json, every entry's size, the hash.</summary>
internal static class MmarPackageVerifier
{
    public static PublishCheck Verify(string zip, MdaiPackage package, MdaiPackageOptions options)
    {
        var problems = new List<string>();
        PackageZipChecks.Hash(zip, package.Sha256, problems);
        using (var archive = ZipFile.OpenRead(zip))
        {
            var entries = PackageZipChecks.Entries(archive);
            var root = options.ClaraVersion == MdaiPackageOptions.Clara40 ? $"model/workspace/{package.Settings.MmarRoot}/" : "model/workspace/";
            PackageZipChecks.Required(entries, new[] { "model/.mdai/config.yaml", "model/.mdai/mdai_deploy.py", "model/.mdai/requirements.txt", "model/.mdai/mdai_clara.json", root + "commands/infer.sh", root + package.Settings.EnvironmentJson }, problems);
            PackageZipChecks.Written(entries, package.Files, problems);
            if (PackageZipChecks.Yaml(entries, "model/.mdai/config.yaml", problems) is { } map)
            {
                var clara = PackageZipChecks.Scalar(map, "clara_version");
                var baseImage = PackageZipChecks.Scalar(map, "base_image")?.Value;
                var device = PackageZipChecks.Scalar(map, "device_type")?.Value;
                if (baseImage != "nvidia" || device != options.DeviceType || clara?.Value != options.ClaraVersion || clara.Style != YamlDotNet.Core.ScalarStyle.DoubleQuoted)
                {
                    problems.Add($"config.yaml reads base_image={baseImage}, device_type={device}, clara_version={clara?.Value} ({clara?.Style})");
                }
            }

            if (PackageZipChecks.Json(entries, root + package.Settings.EnvironmentJson, problems) is { } environment)
            {
                foreach (var key in new[] { "OUTPUT_CHANNELS", "INFER_DATALIST_KEY", "DATASET_JSON" })
                {
                    if (environment[key] is null)
                    {
                        problems.Add($"environment.json lacks {key}");
                    }
                }
            }

            PackageZipChecks.ImageData(archive, root, options.Include, problems);
        }

        return PackageZipChecks.Result(problems, $"layout, config.yaml, environment.json, {package.Files.Count} entries and their CRCs, no image data but what include patterns name, SHA-256");
    }
}
