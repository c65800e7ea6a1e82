using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Logging;

namespace MdaiClara.Engine.Publishing;

/// <summary>
/// The study a smoke run runs on and the series of it MD.ai's model would see, through the generated interface code's
/// own refusals (mdai_clara_dicom.py, shared by MMAR and bundle packages): a study the code refuses fails the smoke run
/// even where MdaiClara's own reader would take it.
/// </summary>
internal static class SmokeStudy
{
    /// <summary>The series to run (the study's largest DICOM series), or why there is none the interface code takes.</summary>
    /// <param name="study">The study given; null: the module's phantom series for a segmentation.</param>
    /// <param name="task">The packaged task ("segmentation", "classification").</param>
    /// <param name="log">Where reading the study logs.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static (InputSource? Input, string? Failure) Choose(IReadOnlyList<string>? study, string task, IEngineLog? log, CancellationToken cancellationToken)
    {
        study ??= MdaiPublisher.BundledStudy() is { } bundled && task == "segmentation" ? new[] { bundled } : null;
        if (study is null)
        {
            // A package nobody ran is not delivered: MD.ai would be the first to run it.
            return (null, $"no study to run the {task} model on: give a study (DICOM files or a folder of one study)");
        }

        // MD.ai sends DICOM: the study's largest DICOM series is what its model would see (NIfTI or pictures beside it
        // are not MD.ai input).
        var (inputs, _) = InferenceInputs.FromPaths(study, cancellationToken, log);
        var series = inputs.Where(i => i.Series is not null).OrderByDescending(i => i.Series!.Instances.Count).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
        if (series.Count == 0)
        {
            return (null, $"no DICOM series in {string.Join(", ", study)}");
        }

        var input = series[0];
        return InterfaceCodeRefusal(input.Series!, task) is { } refusal
            ? (null, $"MD.ai's interface code would refuse {input.Name}: {refusal}")
            : (input, null);
    }

    /// <summary>
    /// What the model is run on: a segmentation model sees the series as one volume; the generated classification code
    /// gives the model each instance as its own file, so the smoke run does too (the first
    /// <see cref="MdaiPublisher.ClassifiedInstances"/> of them).
    /// </summary>
    public static List<InputSource> Runs(InputSource input, string task) => task == "classification"
        ? input.Series!.Instances.Where(i => !i.IsLocalizer).Take(MdaiPublisher.ClassifiedInstances).Select(i => InputSource.FromFile(i.Path, i.SopInstanceUid)).ToList()
        : [input];

    /// <summary>
    /// What the generated mdai_deploy.py refuses (mdai_clara_dicom.py) that MdaiClara's own reader accepts, so a smoke
    /// run does not pass a study MD.ai would fail on: multi-frame instances; for segmentation, slices without a position
    /// or orientation (MdaiClara assumes an axial plane, the generated code cannot place their pixels).
    /// </summary>
    private static string? InterfaceCodeRefusal(Imaging.Dicom.DicomSeriesFiles series, string task)
    {
        // The generated code leaves localizers out first (when the series is not all localizers), as our reader does.
        var slices = series.Instances.Where(i => !i.IsLocalizer).ToList() is { Count: > 0 } kept ? kept : series.Instances.ToList();
        if (slices.FirstOrDefault(i => i.NumberOfFrames > 1) is { } multiframe)
        {
            return $"{multiframe.SopInstanceUid} ({multiframe}) holds {multiframe.NumberOfFrames} frames, and the generated code takes single-frame images only. Use a study of single-frame images (e.g. converted with dcm4che's emf2sf).";
        }

        if (task != "segmentation")
        {
            return null;
        }

        if (slices.FirstOrDefault(i => i.SamplesPerPixel != 1) is { } colour)
        {
            return $"{colour.SopInstanceUid} ({colour}) is a colour image ({colour.SamplesPerPixel} samples per pixel), and the generated segmentation code reads greyscale volumes only.";
        }

        // Orientation always; position unless the series is one image (the generated code puts a lone image at the origin).
        if (slices.FirstOrDefault(i => i.Frames.Count == 0 || i.Frames[0].Orientation is null || (slices.Count > 1 && i.Frames[0].Position is null)) is { } unplaced)
        {
            return $"{unplaced.SopInstanceUid} ({unplaced}) has no ImagePositionPatient (0020,0032) or ImageOrientationPatient (0020,0037), which the generated code needs to place its pixels.";
        }

        return null;
    }
}
