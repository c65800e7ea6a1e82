using System;
using System.Management.Automation;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Inference.Pipeline;
using MdaiClara.Engine.Publishing;

namespace MdaiClara.Cmdlets.Commands;

// Invoke-ClaraInference's -OutputFormat writers other than the result itself: MD.ai's list and the DICOM SEG.
public sealed partial class InvokeClaraInferenceCommand
{
    private void WriteDicomSeg(InferenceResult result)
    {
        if (result.Label is null)
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"{result.Input}: -OutputFormat DicomSeg needs a segmentation, but this model is a {result.Task} model."), ErrorIds.SegLabelsInvalid, ErrorCategory.InvalidOperation, result.Input));
            return;
        }

        var path = System.IO.Path.Combine(_outputDirectory!, InferenceInputs.SafeFileName(result.Input) + "_seg.dcm");
        var options = SegmentMaps.Options(result, _segments!, SeriesNumber, SeriesDescription, UidRoot);
        try
        {
            var written = RunOnWorker(token => Engine.Imaging.Seg.DicomSegWriter.Write(result.Label, options, path, token));
            WriteVerbose($"Saved the DICOM segmentation of {result.Input} to {path} ({written.Segments} segment(s), {written.Frames} frame(s)).");
            WriteObject(TypeNames.Tag(written, TypeNames.DicomSeg));
        }
        catch (MdaiClaraException ex) when (ex.ErrorId == ErrorIds.SegSourceNotDicom)
        {
            WriteEngineError(new MdaiClaraException(ex.Message + " -OutputFormat DicomSeg needs DICOM series as inputs.", ex.ErrorId, ex.Kind, ex.Target, ex));
        }
    }

    private void WriteMdai(InferenceResult result)
    {
        // The file first, whole, then the objects: a pipeline that stops early (Select-Object -First) must not cost the
        // file. Both go output by output (a segmentation's masks as bytes, emitted with int[] rows), so only what the
        // caller keeps stays in memory; the masks are made twice, which is cheap beside the inference.
        if (_outputDirectory is not null)
        {
            var path = System.IO.Path.Combine(_outputDirectory, InferenceInputs.SafeFileName(result.Input) + "_mdai.json");
            if (MdaiResults.SegmentationOutputs(result, _classMap) is { } records)
            {
                MdaiResultFile.Write(records, path);
            }
            else
            {
                MdaiResultFile.Write(MdaiResults.Outputs(result, _classMap), path);
            }

            WriteVerbose($"Saved the MD.ai output list of {result.Input} to {path}.");
        }

        if (MdaiResults.SegmentationOutputs(result, _classMap) is { } segmentation)
        {
            foreach (var output in segmentation)
            {
                WriteObject(TypeNames.Tag(MdaiOutputObjects.From(output), TypeNames.MdaiOutput));
            }

            return;
        }

        foreach (var output in MdaiResults.Outputs(result, _classMap))
        {
            WriteObject(TypeNames.Tag(JsonToPowerShell.Convert(output)!, TypeNames.MdaiOutput));
        }
    }
}
