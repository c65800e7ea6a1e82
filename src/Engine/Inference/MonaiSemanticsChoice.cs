using System;
using System.Globalization;

namespace MdaiClara.Engine.Inference;

/// <summary>The semantics a MONAI version runs with, and why (the release history behind the boundary).</summary>
public sealed record MonaiSemanticsChoice(string Version, MonaiSemantics Semantics, string Reason)
{
    public override string ToString() => $"{MonaiSemanticsVersions.Describe(Semantics)}: {Reason}";
}

/// <summary>
/// The version boundaries, from MONAI's CHANGELOG and the sources of each release (0.9.0 … 1.5.0), for the transforms,
/// inferers and metrics MdaiClara implements:
/// <list type="bullet">
/// <item>≤ 0.7: MONAI 0.5's (Clara Train 4.0) numerics.</item>
/// <item>0.8.x and 0.9.0: 0.8.1's. 0.9.0 shipped MetaTensor only as an "API preview"; its transforms still worked on
/// numpy arrays (LoadImage returned numpy, Spacing took src_affine), so NormalizeIntensity's numpy statistics,
/// Spacing's affine handling and Resize's cast back to the input dtype are 0.8.1's.</item>
/// <item>0.9.1 and 1.0.0: transition releases, run as 0.8.1 (nearest, not exact). 0.9.1 made MetaTensor the core
/// data structure (torch statistics, MetaTensor affines), 1.0.0 fixed Spacing's physical extent; the gaussian
/// importance map of the sliding window and Spacing's output offset changed only at 1.0.1.</item>
/// <item>1.0.1 to 1.4.x: 1.x, as 1.3.2 (the golden references). Between 1.0.1 and 1.4.0 the release notes list no
/// change to the defaults or numerics of what MdaiClara runs: 1.1.0 let Activations/AsDiscrete take call-time kwargs,
/// 1.2.0 solved Spacing's output shape with np.linalg.solve instead of an inverse (rounding-level) and made
/// multi-key Spacingd agree on one shape, stopped Spacing mutating its pixdim list, and added lazy resampling (off by
/// default); 1.3.0 sped up NormalizeIntensity (same values) and announced, without making, CropForeground's
/// allow_smaller=False default; 1.4.0 fixed AsDiscrete's call-time argmax override. Orientation, ScaleIntensityRange,
/// EnsureChannelFirst, Invertd and AsDiscrete's argument names (threshold/to_onehot since 1.0) did not change.</item>
/// <item>1.5 and later: 1.x, with the defaults 1.5.0 changed applied to the component specs (CropForeground's
/// allow_smaller now False); 1.5.0 also casts an integer image to float32 before a channel-wise NormalizeIntensity,
/// which MdaiClara always does. Releases after 1.5 are not surveyed.</item>
/// </list>
/// </summary>
public static class MonaiSemanticsChoices
{
    /// <summary>The choice for a version (see <see cref="MonaiSemanticsVersions.Parse"/> for the forms read).</summary>
    public static MonaiSemanticsChoice Choose(string version)
    {
        var semantics = MonaiSemanticsVersions.Parse(version);
        var parts = version.Trim().TrimStart('v', 'V').Split('.');
        int? Part(int i) => i < parts.Length && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var (major, minor, patch) = (Part(0) ?? 0, Part(1), Part(2));
        var reason = (major, minor, patch) switch
        {
            (0, < 8, _) => "MONAI before 0.8: Clara Train 4.0's MONAI 0.5 numerics",
            (0, 8, _) => "MONAI 0.8",
            (0, 9, 0) => "MONAI 0.9.0 still transformed numpy arrays (MetaTensor was an API preview), so 0.8.1's numerics",
            (0, 9, _) => "MONAI 0.9.1 is a transition release (MetaTensor core, pre-1.0 Spacing and gaussian window): run as 0.8.1, nearest but not exact",
            (1, 0, 0) => "MONAI 1.0.0 is the last release with the 0.x gaussian sliding-window map and Spacing output offset: run as 0.8.1, nearest but not exact",
            (1, null or <= 4, _) => "no change between MONAI 1.0.1 and 1.4 to the defaults or numerics of the transforms, inferers and metrics MdaiClara runs",
            (1, 5, _) => "MONAI 1.5: 1.x numerics, and 1.5's new defaults (CropForeground allow_smaller=False) applied to the components",
            _ => "newer than the MONAI releases surveyed (up to 1.5): 1.x numerics and 1.5's defaults",
        };
        return new MonaiSemanticsChoice(version, semantics, reason);
    }
}
