using System;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Models;

namespace MdaiClara.Engine.Evaluation;

/// <summary>
/// The ground truth validate.sh measures against: the items of the datalist key (VAL_DATALIST_KEY or the config's
/// data_list_key) in the model's dataset JSON, their paths under the data root (DATA_ROOT), an image and a label each.
/// </summary>
public static class ValidationDataList
{
    /// <param name="model">The model, with its evaluation settings.</param>
    /// <param name="dataRoot">The folder the items' relative paths are under, instead of the config's data root.</param>
    /// <param name="dataListKey">The key to read instead of the config's.</param>
    public static GroundTruthSet Read(RunnableModel model, string? dataRoot = null, string? dataListKey = null)
    {
        var settings = model.Evaluation ?? throw NoConfig(model);
        if (settings.DataListNotRead is { } why)
        {
            throw new MdaiClaraException(
                $"{model.Name}'s evaluation config takes its cases from {why}, so there is no datalist to read; give the images and their label maps (or a datalist JSON of your own) to run its validation pipeline on.",
                ErrorIds.EvaluationDataListNotRead, ErrorKind.InvalidArgument, settings.Pipeline.File);
        }

        var key = dataListKey ?? settings.DataListKey ?? throw new MdaiClaraException(
            $"{settings.Pipeline.File} of {model.Name} names no datalist key (VAL_DATALIST_KEY, dataset.data_list_key); say which key of the dataset JSON to read.",
            ErrorIds.DataListInvalid, ErrorKind.InvalidData, settings.Pipeline.File);
        var listFile = settings.DataListFile ?? throw new MdaiClaraException(
            $"{settings.Pipeline.File} of {model.Name} names no dataset JSON (DATASET_JSON, dataset.data_list_file_path).",
            ErrorIds.DataListInvalid, ErrorKind.InvalidData, settings.Pipeline.File);

        byte[] bytes;
        string display;
        string listFolder;
        if (Path.IsPathRooted(listFile))
        {
            display = listFile;
            listFolder = Path.GetDirectoryName(listFile) ?? listFile;
            try
            {
                bytes = File.ReadAllBytes(listFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MdaiClaraException($"Cannot read the dataset JSON {listFile} that {settings.Pipeline.File} names: {ex.Message}", ErrorIds.DataListInvalid, ErrorKind.ObjectNotFound, listFile, ex);
            }
        }
        else
        {
            display = $"{listFile} of {model.Name}";
            bytes = model.ReadPackageFile(listFile) ?? throw new MdaiClaraException(
                $"The dataset JSON {listFile} that {settings.Pipeline.File} names is not in {model.Name}.",
                ErrorIds.DataListInvalid, ErrorKind.ObjectNotFound, listFile);
            listFolder = model.RootDirectory is { } root ? Path.GetDirectoryName(Path.Combine(root, listFile)) ?? root : Environment.CurrentDirectory;
        }

        var baseDirectory = dataRoot ?? settings.DataRoot ?? listFolder;
        if (!Path.IsPathRooted(baseDirectory))
        {
            baseDirectory = model.RootDirectory is { } root ? Path.Combine(root, baseDirectory) : Path.GetFullPath(baseDirectory);
        }

        if (!Directory.Exists(baseDirectory))
        {
            throw new MdaiClaraException(
                $"The data root {baseDirectory}{(dataRoot is null ? $" ({settings.Pipeline.File}'s data_file_base_dir, DATA_ROOT)" : string.Empty)} does not exist, so no item of '{key}' in {display} can be read; give the folder the datalist's paths are under.",
                ErrorIds.DataListInvalid, ErrorKind.ObjectNotFound, baseDirectory);
        }

        return DataList.Read(bytes, display, key, baseDirectory, model.Task == ModelTask.Classification ? model.OutputChannels : null);
    }

    internal static MdaiClaraException NoConfig(RunnableModel model) => new(
        model.Format == "MONAI bundle"
            ? $"{model.Name} is a MONAI bundle without an evaluation config (configs/evaluate.json or .yaml), so there is no validation pipeline to run; measure it against labels or annotations given instead."
            : $"{model.Name} has no validation config (commands/validate.sh's -c, or config/config_validation.json), so there is no validate.sh pipeline to run; measure it against labels or annotations given instead.",
        ErrorIds.EvaluationConfigMissing, ErrorKind.ObjectNotFound, model.Origin);
}
