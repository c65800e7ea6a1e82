using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Logging;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Validation.Deep;

namespace MdaiClara.Engine.Validation.Bundles;

public sealed record BundleValidationOptions
{
    /// <summary>Also load the TorchScript and run one forward pass with the declared input shape.</summary>
    public bool Deep { get; init; }

    public DeviceSpec Device { get; init; } = DeviceSpec.Cpu;
}

/// <summary>
/// Test-MonaiBundle's engine: can this bundle run here as it is? Config syntax, metadata fields, references and
/// expressions, components against MdaiClara's transform catalogue and inferers (the ones MMARs use), the model file,
/// path escapes, and with -Deep one forward pass. The bundle passes when no finding is an error.
/// </summary>
public static class BundleValidator
{
    public static IReadOnlyList<BundleFinding> Validate(BundleAnalysis analysis, BundleValidationOptions options, ModelSessionCache? cache = null, IEngineLog? log = null, CancellationToken cancellationToken = default)
    {
        var findings = new List<BundleFinding>();
        findings.AddRange(BundleFileRules.Check(analysis));
        var syntaxBroken = findings.Any(f => f.RuleId == BundleRuleIds.ConfigSyntax);
        if (!syntaxBroken)
        {
            findings.AddRange(BundleMetadataRules.Check(analysis));
            findings.AddRange(BundlePipelineRules.Check(analysis, log));
            findings.AddRange(BundlePathRules.Check(analysis));
            findings.AddRange(BundleEvaluationRules.Check(analysis, log));
        }
        else
        {
            findings.Add(new BundleFinding(BundleRuleIds.ConfigSyntax, FindingSeverity.Information,
                "The other checks were skipped because a config file does not parse; fix that first."));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (options.Deep)
        {
            findings.AddRange(Deep(analysis, options.Device, cache, log, cancellationToken));
        }

        return findings.Select(f => f with { Bundle = analysis.Source.Location }).ToList();
    }

    public static bool Passes(IEnumerable<BundleFinding> findings) => findings.All(f => f.Severity != FindingSeverity.Error);

    /// <summary>
    /// The dummy input as the metadata declares it (network_data_format.inputs.image.spatial_shape, when every entry is a
    /// number), else what the pipeline gives (inferer roi_size, Resize size).
    /// </summary>
    public static (long[] Shape, string Source)? DeclaredInput(BundleInfo info)
    {
        if (info.InputSpatialShape is { Count: > 0 } shape && shape.All(d => d is > 0))
        {
            var source = info.Derived.LastOrDefault(d => d.Name == "InputSpatialShape")?.Source ?? "network_data_format";
            return (new[] { 1L, info.InputChannels ?? 1 }.Concat(shape.Select(d => d!.Value)).ToArray(), $"the declared spatial_shape ({source})");
        }

        return null;
    }

    private static IEnumerable<BundleFinding> Deep(BundleAnalysis analysis, DeviceSpec device, ModelSessionCache? cache, IEngineLog? log, CancellationToken token)
    {
        var model = RunnableModels.FromBundle(analysis);
        using var own = cache is null ? new ModelSessionCache() : null;
        return ForwardProbe.Run(model, device, cache ?? own!, log, token, DeclaredInput(analysis.Info))
            .Select(f => new BundleFinding(f.RuleId, f.Severity, f.Message, f.File, f.Line, f.Column))
            .ToList();
    }
}
