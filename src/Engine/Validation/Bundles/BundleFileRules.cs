using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Diagnostics;

namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>The files a bundle needs, their syntax, and the model file (TorchScript, or only a checkpoint).</summary>
internal static class BundleFileRules
{
    public static IEnumerable<BundleFinding> Check(BundleAnalysis analysis)
    {
        var info = analysis.Info;
        if (analysis.MetadataFile is null && !analysis.Source.FileExists(BundleLayout.MetadataFile))
        {
            yield return new BundleFinding(BundleRuleIds.RequiredFile, FindingSeverity.Error,
                $"The bundle has no {BundleLayout.MetadataFile}; MONAI's bundle tools and MdaiClara read name, versions and channels from it.", BundleLayout.MetadataFile);
        }

        if (info.InferenceConfigFile is null)
        {
            yield return new BundleFinding(BundleRuleIds.RequiredFile, FindingSeverity.Error,
                $"The bundle has no inference config ({string.Join(", ", BundleLayout.InferenceConfigCandidates)}); there is no pipeline to run.", BundleLayout.InferenceConfigCandidates[0]);
        }

        foreach (var unreadable in analysis.UnreadableFiles)
        {
            yield return new BundleFinding(BundleRuleIds.FileUnreadable, FindingSeverity.Error, unreadable, unreadable.Split(':')[0]);
        }

        foreach (var file in new[] { analysis.MetadataFile, analysis.InferenceFile }.Where(f => f?.SyntaxError is not null))
        {
            var e = file!.SyntaxError!;
            yield return new BundleFinding(BundleRuleIds.ConfigSyntax, FindingSeverity.Error,
                $"{e.File} is not valid {(file.Format == ConfigFileFormat.Json ? "JSON" : "YAML")}: {e.Message}", e.File, e.Line, e.Column);
        }

        foreach (var file in new[] { analysis.MetadataFile, analysis.InferenceFile }.Where(f => f is { IsValid: true, Root.IsObject: false }))
        {
            yield return new BundleFinding(BundleRuleIds.ConfigSyntax, FindingSeverity.Error,
                $"{file!.RelativePath} holds a {file.Root!.Kind.ToString().ToLowerInvariant()}, not an object of config items.", file.RelativePath, file.Root.Position.Line, file.Root.Position.Column);
        }

        if (info.TorchScript is null)
        {
            yield return info.Checkpoint is not null
                ? new BundleFinding(BundleRuleIds.CheckpointOnly, FindingSeverity.Error,
                    $"The bundle has only {BundleLayout.CheckpointFile} (a pickled checkpoint, which MdaiClara never loads) and no TorchScript {BundleLayout.TorchScriptFile}; export it in the bundle folder.", BundleLayout.CheckpointFile)
                {
                    Remedy = BundleRemedies.CkptExport(info.InferenceConfigFile ?? BundleLayout.InferenceConfigCandidates[0]),
                }
                : new BundleFinding(BundleRuleIds.TorchScriptMissing, FindingSeverity.Error,
                    $"The bundle has no model file: neither {BundleLayout.TorchScriptFile} nor {BundleLayout.CheckpointFile}.", BundleLayout.TorchScriptFile);
        }
    }
}
