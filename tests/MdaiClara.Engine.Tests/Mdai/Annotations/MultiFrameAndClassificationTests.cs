using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Imaging;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Mdai.Annotations;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

public sealed class MultiFrameAndClassificationTests
{
    private const string Sop = "1.2.826.0.1.3680043.8.498.9.1";

    /// <summary>One 3-frame instance: slices 0..2 are its frames 1..3.</summary>
    private static Volume MultiFrame() =>
        new(new short[12 * 10 * 3], [12, 10, 3], Affine.Diagonal(-1, -1, 1), "multi-frame")
        {
            Dicom = new DicomSeriesGeometry
            {
                StudyInstanceUid = AnnotationTestSeries.Study,
                SeriesInstanceUid = "1.2.826.0.1.3680043.8.498.9",
                Rows = 10,
                Columns = 12,
                ImageOrientationPatient = [1, 0, 0, 0, 1, 0],
                PixelSpacing = [1, 1],
                Slices = Enumerable.Range(0, 3).Select(k => new DicomSliceReference(k, Sop, null, k + 1, 1, [0, 0, k])).ToList(),
            },
        };

    [Fact]
    public void Frames_of_a_multi_frame_instance_are_matched_by_frameNumber_and_written_back_with_it()
    {
        var series = MultiFrame();
        var voxels = new byte[12 * 10 * 3];
        voxels[(2 * 120) + (4 * 12) + 5] = 1;          // frame 3, one pixel
        voxels[(1 * 120) + (2 * 12) + 2] = 1;          // frame 2
        voxels[(1 * 120) + (3 * 12) + 3] = 1;          // touching diagonally
        var label = new Volume(voxels, [12, 10, 3], series.Affine, "label") { Dicom = series.Dicom };

        var items = MdaiAnnotationImportBuilder.FromLabelVolume(label, null, new Dictionary<int, string> { [1] = "L_a" }, new List<string>(), CancellationToken.None).ToList();
        Assert.Equal(new int?[] { 2, 3 }, items.Select(i => i.FrameNumber));

        var json = new StringBuilder("""{"labelGroups": [{"labels": [{"id": "L_a", "name": "A", "annotationMode": "mask"}]}], "datasets": [{"annotations": [""");
        for (var n = 0; n < items.Count; n++)
        {
            using var stream = new System.IO.MemoryStream();
            using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
            {
                items[n].WriteTo(writer);
            }

            json.Append(n > 0 ? "," : string.Empty).Append(Encoding.UTF8.GetString(stream.ToArray()));
        }

        // Frame 0 and frame 4 do not exist on this instance: named, not drawn.
        json.Append($$$""", {"id": "A_f0", "labelId": "L_a", "StudyInstanceUID": "s", "SOPInstanceUID": "{{{Sop}}}", "frameNumber": 0, "data": {"foreground": [[[0, 0]]]}}""");
        json.Append($$$""", {"id": "A_f4", "labelId": "L_a", "StudyInstanceUID": "s", "SOPInstanceUID": "{{{Sop}}}", "frameNumber": 4, "data": {"foreground": [[[0, 0]]]}}""");
        json.Append($$$""", {"id": "A_fnull", "labelId": "L_a", "StudyInstanceUID": "s", "SOPInstanceUID": "{{{Sop}}}", "data": {"foreground": [[[0, 0]]]}}""");
        json.Append("]}]}");
        var export = MdaiAnnotationExport.Parse(Encoding.UTF8.GetBytes(json.ToString()), "frames.json", CancellationToken.None);

        var back = AnnotationRasterizer.ToLabelVolume(export, series, new Dictionary<string, int> { ["A"] = 1 }, CancellationToken.None);

        Assert.Equal(voxels, back.Labels.GetVoxels<byte>());
        Assert.Equal(3, back.Warnings.Count);
        Assert.Contains(back.Warnings, w => w.Contains("A_f0") && w.Contains("frames 1–3"));
        Assert.Contains(back.Warnings, w => w.Contains("A_f4"));
        Assert.Contains(back.Warnings, w => w.Contains("A_fnull") && w.Contains("frameNumber null"));
    }

    [Fact]
    public void A_classifier_s_predicted_classes_become_global_label_annotations()
    {
        var geometry = AnnotationTestSeries.Create(4, 4, 1).Dicom!;
        InferenceResult Result(bool sigmoid) => new()
        {
            Input = "xray",
            Source = "xray",
            Model = "clara_xray",
            Device = "cpu",
            Task = "classification",
            Semantics = "MONAI 0.8.1",
            Shape = [4, 4, 1],
            ModelInputShape = [1, 4, 4],
            Windows = 1,
            Probabilities = [new ClassProbability(0, "normal", 0.2), new ClassProbability(1, "nodule", 0.7), new ClassProbability(2, "effusion", 0.55)],
            InputDicom = geometry,
            Sigmoid = sigmoid,
            Timings = new InferenceTimings(0, 0, 0, 0, 0),
        };
        var ids = new Dictionary<int, string> { [1] = "L_nodule", [2] = "L_effusion" };

        var single = MdaiAnnotationImportBuilder.FromInferenceResult(Result(false), ids, new List<string>(), CancellationToken.None).Single();
        Assert.Equal(("L_nodule", geometry.Slices[0].SopInstanceUid), (single.LabelId, single.SopInstanceUid));
        Assert.Null(single.Data);
        Assert.Contains("nodule 0.7", single.Note);

        var warnings = new List<string>();
        var multi = MdaiAnnotationImportBuilder.FromInferenceResult(Result(true), new Dictionary<int, string> { [1] = "L_nodule" }, warnings, CancellationToken.None).ToList();
        Assert.Equal(new[] { "L_nodule" }, multi.Select(m => m.LabelId));
        Assert.Contains(warnings, w => w.Contains("effusion"));
    }
}
