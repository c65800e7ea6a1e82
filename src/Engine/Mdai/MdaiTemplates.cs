using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// The interface-code templates shipped inside the engine (src/Engine/Mdai/Templates, embedded resources named
/// "MdaiClara.Templates.&lt;file&gt;"): mdai_deploy_&lt;task&gt;.py becomes .mdai/mdai_deploy.py, other .py files and
/// requirements.txt go into .mdai/ as they are.
/// </summary>
public static class MdaiTemplates
{
    private const string Prefix = "MdaiClara.Templates.";

    /// <summary>File name → bytes of every embedded template.</summary>
    public static IReadOnlyDictionary<string, byte[]> Embedded()
    {
        var assembly = typeof(MdaiTemplates).Assembly;
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            result[name[Prefix.Length..]] = buffer.ToArray();
        }

        return result;
    }

    /// <summary>The files that go into model/.mdai/ for a task, by their name there.</summary>
    public static IReadOnlyDictionary<string, byte[]> ForTask(IReadOnlyDictionary<string, byte[]> templates, string task)
    {
        var deploy = $"mdai_deploy_{task}.py";
        if (!templates.TryGetValue(deploy, out var script))
        {
            throw new InvalidOperationException($"The engine has no interface-code template {deploy}.");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["mdai_deploy.py"] = script };
        foreach (var (name, bytes) in templates)
        {
            if ((name.StartsWith("mdai_clara_", StringComparison.Ordinal) && name.EndsWith(".py", StringComparison.Ordinal)) || name == "requirements.txt")
            {
                files[name] = bytes;
            }
        }

        return files;
    }

    /// <summary>
    /// The files that go into model/.mdai/ of a MONAI-bundle package: mdai_deploy_bundle_&lt;task&gt;.py as mdai_deploy.py,
    /// the bundle helpers (mdai_bundle_*.py) and the shared ones (mdai_clara_*.py). requirements.txt is generated.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> ForBundle(IReadOnlyDictionary<string, byte[]> templates, string task)
    {
        var deploy = $"mdai_deploy_bundle_{task}.py";
        if (!templates.TryGetValue(deploy, out var script))
        {
            throw new InvalidOperationException($"The engine has no interface-code template {deploy}.");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["mdai_deploy.py"] = script };
        foreach (var (name, bytes) in templates)
        {
            // mdai_clara_workspace.py is the MMAR's workspace (infer.sh, environment.json); a bundle has its own.
            if ((name.StartsWith("mdai_clara_", StringComparison.Ordinal) || name.StartsWith("mdai_bundle_", StringComparison.Ordinal))
                && name.EndsWith(".py", StringComparison.Ordinal) && name != "mdai_clara_workspace.py")
            {
                files[name] = bytes;
            }
        }

        return files;
    }
}
