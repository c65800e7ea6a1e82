using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mmar;

namespace MdaiClara.Engine.Validation.Rules;

/// <summary>
/// Clara 4.0 inference configs that MD.ai's Clara 4.1 image (clara-train-sdk v4.1, MONAI 0.8.1) cannot run. MONAI 0.8
/// decollates the engine's batch and output into lists of per-image dictionaries, so a handler lambda that indexes its
/// argument by name (<c>lambda x: x['pred']</c>) fails with "TypeError: list indices must be integers or slices, not
/// str"; NVIDIA's 4.0 to 4.1 migration notes replace the TransformInverter and SegmentationSaver handlers with the Invertd
/// and SaveImaged post-transforms and rewrite such lambdas. Local inference still runs these configs (with Clara 4.0
/// semantics): the verdict is about deployment on MD.ai, and a migrated copy fixes it.
/// </summary>
public sealed partial class Clara41CompatibilityRule : IMmarRule
{
    private const string Image = "MD.ai's Clara 4.1 image (clara-train-sdk v4.1, MONAI 0.8.1)";
    private const string TypeError = "TypeError: list indices must be integers or slices, not str";

    /// <summary>Config sections whose components get the engine's decollated batch or output in their lambdas.</summary>
    private static readonly string[] EngineSections = { "handlers", "metrics", "key_metric", "additional_metrics" };

    public IEnumerable<MmarFinding> Check(MmarAnalysis a)
    {
        var config = a.Info.InferenceConfig;
        if (!FindingFactory.IsPyTorch(a) || config is null || !a.JsonFiles.TryGetValue(config.File, out var file) || file.RootObject is not { } root)
        {
            yield break;
        }

        foreach (var handler in config.Handlers.Where(h => !h.Disabled))
        {
            var replacement = handler.CanonicalName switch
            {
                "SegmentationSaver" => "a SaveImaged post-transform",
                "TransformInverter" => "an Invertd post-transform",
                _ => null,
            };
            if (replacement is null)
            {
                continue;
            }

            var lambda = DictionaryLambdas(handler.Args).Select(l => ((string Key, string Code)?)l).FirstOrDefault();
            var why = lambda is null
                ? "MONAI 0.8 decollates the batch, which this Clara 4.0 handler was not written for"
                : $"MONAI 0.8 decollates the batch into a list, so its {lambda.Value.Key} '{lambda.Value.Code}' fails with \"{TypeError}\"";
            yield return Finding(
                $"The {handler.Name} handler will not run on {Image}: {why}. NVIDIA's Clara 4.1 migration replaces it with {replacement}; a migrated copy of the MMAR makes that change. (Local inference still runs it, with Clara 4.0 semantics.)",
                handler.File, handler.Location);
        }

        // Lambdas elsewhere in the engine's components (StatsHandler, MetricsSaver, metrics) that index a decollated list by name.
        foreach (var section in EngineSections)
        {
            var components = root.TryGetValue(section, out var value) switch
            {
                true when value is object?[] list => list.Select((c, i) => (c as ConfigObject, $"/{section}/{i.ToString(CultureInfo.InvariantCulture)}")),
                true when value is ConfigObject single => new (ConfigObject?, string)[] { (single, $"/{section}") },
                _ => Enumerable.Empty<(ConfigObject?, string)>(),
            };
            foreach (var (component, pointer) in components)
            {
                var name = component?.GetString("name") ?? component?.GetString("path");
                if (component is null || ComponentSpec.Canonicalize(name ?? string.Empty) is "SegmentationSaver" or "TransformInverter" || IsDisabled(component, pointer, config))
                {
                    continue;
                }

                if (component.GetObject("args") is not { } args)
                {
                    continue;
                }

                foreach (var (key, code) in DictionaryLambdas(args))
                {
                    yield return Finding(
                        $"The {key} of {name} in {section} will not run on {Image}: '{code}' indexes its argument by name, but MONAI 0.8 passes a decollated list (one dictionary per image), so it fails with \"{TypeError}\". NVIDIA's Clara 4.1 migration writes it for a list (for example x[0]['pred']); a migrated copy of the MMAR makes that change.",
                        config.File, file.Locate($"{pointer}/args/{ParsedJsonFile.EscapePointerToken(key)}"));
                }
            }
        }
    }

    /// <summary>Lambda arguments whose body subscripts the lambda's own parameter with a string: x['pred'].</summary>
    private static IEnumerable<(string Key, string Code)> DictionaryLambdas(ConfigObject args)
    {
        foreach (var (key, value) in args)
        {
            if (value is string code && NamedSubscript().Match(code) is { Success: true } m && m.Groups["p"].Value is { Length: > 0 })
            {
                yield return (key, code);
            }
        }
    }

    /// <summary>Handlers were read with their "disabled" placeholders resolved; other sections are disabled only literally.</summary>
    private static bool IsDisabled(ConfigObject component, string pointer, InferenceConfig config) =>
        config.Handlers.FirstOrDefault(h => h.JsonPointer == pointer) is { } handler
            ? handler.Disabled
            : component.TryGetValue("disabled", out var d) && d is true;

    private static MmarFinding Finding(string message, string file, SourceLocation? at) =>
        FindingFactory.At(MmarRuleIds.ClaraGenerationMismatch, FindingSeverity.Error, message, file, at);

    // lambda x: ... x['key'] — the parameter itself, not x[0]['key'] or engine.state.batch['key'].
    [GeneratedRegex(@"^\s*lambda\s+(?<p>[A-Za-z_]\w*)\s*:.*(?<![\w.\]])\k<p>\s*\[\s*['""]", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex NamedSubscript();
}
