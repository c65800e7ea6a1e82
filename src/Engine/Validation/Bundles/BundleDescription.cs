using System.Linq;
using System.Threading;
using MdaiClara.Engine.Bundles;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Validation.Bundles;

/// <summary>
/// Get-MonaiBundle's engine: what <see cref="BundleAnalyzer"/> derives from a bundle, plus the MONAI semantics its
/// monai_version runs with and why (<see cref="MonaiSemanticsChoices"/>), as one more derived value.
/// </summary>
public static class BundleDescription
{
    public const string SemanticsValue = "MonaiSemantics";

    public static BundleInfo Describe(string path, CancellationToken cancellationToken = default)
    {
        using var analysis = BundleAnalyzer.Analyze(path, cancellationToken);
        return WithSemantics(analysis);
    }

    /// <summary>The analysis's info with the "MonaiSemantics" derived value added.</summary>
    public static BundleInfo WithSemantics(BundleAnalysis analysis)
    {
        var info = analysis.Info;
        var model = RunnableModels.FromBundle(analysis);
        DerivedValue derived;
        try
        {
            var choice = MonaiSemanticsChoices.Choose(model.MonaiVersion);
            derived = new DerivedValue(SemanticsValue, MonaiSemanticsVersions.Describe(choice.Semantics), $"{model.MonaiVersionSource}: {choice.Reason}");
        }
        catch (MdaiClaraException ex)
        {
            derived = new DerivedValue(SemanticsValue, null, $"{model.MonaiVersionSource}: {ex.Message}");
        }

        return info with { Derived = info.Derived.Append(derived).ToList() };
    }
}
