using System.Management.Automation;
using MdaiClara.Engine.Mdai;

namespace MdaiClara.Cmdlets;

/// <summary>A segmentation output as PowerShell sees it: the same properties, in the same order, as the JSON dict (mask rows as int[]).</summary>
internal static class MdaiOutputObjects
{
    public static PSObject From(MdaiInstanceOutput output)
    {
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("type", output.Type));
        result.Properties.Add(new PSNoteProperty("study_uid", output.StudyUid));
        result.Properties.Add(new PSNoteProperty("series_uid", output.SeriesUid));
        result.Properties.Add(new PSNoteProperty("instance_uid", output.InstanceUid));
        if (output.FrameNumber is { } frame)
        {
            result.Properties.Add(new PSNoteProperty("frame_number", (long)frame));
        }

        if (output.ClassIndex is { } classIndex)
        {
            result.Properties.Add(new PSNoteProperty("class_index", (long)classIndex));
            var data = new PSObject();
            data.Properties.Add(new PSNoteProperty("mask", output.MaskRows()));
            result.Properties.Add(new PSNoteProperty("data", data));
        }

        return result;
    }
}
