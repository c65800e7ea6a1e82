using System.IO;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Validation;

/// <summary>
/// Small MMARs shaped like two real ones whose verdicts used to be wrong: NVIDIA's digital-pathology MMAR_DP (with an
/// infer.sh added) and a third-party Clara 4.0 aorta MMAR built from NVIDIA's brain-tumour annotation model.
/// </summary>
internal static class VerdictFixtures
{
    /// <summary>Modelled on clara4.1_pathology_metastasis_MMAR_DP: patches cast and scaled (no LoadImaged), ProbMapProducer, no saver.</summary>
    public static string WritePathology(TempDirectory temp, string name = "pathology")
    {
        var root = temp.CopySample(name);
        temp.Write($"{name}/config/environment.json", """
            {
                "DATA_ROOT": "/data/camelyon16/",
                "DATASET_JSON": "/data/camelyon16/datalist.json",
                "PROCESSING_TASK": "classification",
                "MMAR_EVAL_OUTPUT_PATH": "eval",
                "MMAR_CKPT_DIR": "models/",
                "MMAR_TORCHSCRIPT": "models/model.ts"
            }
            """);
        temp.Write($"{name}/config/config_inference.json", """
            {
                "amp": true,
                "model": {"ts_path": "{MMAR_TORCHSCRIPT}"},
                "pre_transforms": [
                    {"name": "CastToTypeD", "args": {"keys": ["image"], "dtype": "float32"}},
                    {"name": "ScaleIntensityRangeD", "args": {"keys": "image", "a_min": 0.0, "a_max": 255.0, "b_min": -1.0, "b_max": 1.0}},
                    {"name": "ToTensorD", "args": {"keys": ["image"]}}
                ],
                "dataset": {"name": "MaskedInferenceWSIDataset", "data_list_file_path": "{DATASET_JSON}", "data_file_base_dir": "{DATA_ROOT}", "data_list_key": "testing", "args": {"patch_size": 224}},
                "inferer": {"name": "SimpleInferer"},
                "handlers": [
                    {"name": "StatsHandler", "rank": 0, "args": {"output_transform": "lambda x: None"}},
                    {"name": "ProbMapProducer", "args": {"output_dir": "{MMAR_EVAL_OUTPUT_PATH}"}}
                ],
                "post_transforms": [{"name": "ActivationsD", "args": {"keys": "pred", "sigmoid": true}}]
            }
            """);
        File.Delete(Path.Combine(root, "config", "config_validation.json"));
        return root;
    }

    /// <summary>
    /// Modelled on clara4.0_aorta_annotation_from_brain_tumor_t1ce_tc: only config_validation.json (infer.sh names a
    /// config_inference.json that is not there), keys [image, label], a label-driven crop, an extreme-points channel,
    /// TransformInverter and SegmentationSaver handlers with Clara 4.0 lambdas, in_channels 1 in the training config.
    /// </summary>
    public static string WriteAorta(TempDirectory temp, string name = "aorta", bool statedChannels = true)
    {
        var root = temp.CopySample(name);
        File.Delete(Path.Combine(root, "config", "config_inference.json"));
        temp.Write($"{name}/config/environment.json", """
            {
                "DATA_ROOT": "/mount/data/aorta_4",
                "DATASET_JSON": "config/dataset_0.json",
                "PROCESSING_TASK": "segmentation",
                "MMAR_EVAL_OUTPUT_PATH": "eval",
                "MMAR_CKPT_DIR": "models",
                "MMAR_TORCHSCRIPT": "models/model.ts"
            }
            """);
        temp.Write($"{name}/config/config_train.json", statedChannels
            ? """{"in_channels": 1, "out_classes": 6, "train": {"model": {"name": "UNet", "args": {"dimensions": 3, "in_channels": "{in_channels}", "out_channels": "{out_classes}"}}}}"""
            : """{"train": {"model": {"name": "UNet", "args": {"dimensions": 3, "out_channels": 6}}}}""");
        temp.Write($"{name}/config/config_validation.json", """
            {
              "amp": true,
              "data_list_key": "test",
              "model": [{"ts_path": "{MMAR_TORCHSCRIPT}", "disabled": false}],
              "pre_transforms": [
                {"name": "LoadImaged", "args": {"keys": ["image", "label"]}},
                {"name": "EnsureChannelFirstd", "args": {"keys": ["image", "label"]}},
                {"name": "CopyItemsd", "args": {"keys": ["label"], "times": 1, "names": ["label_foreground"]}},
                {"name": "CropForegroundd", "args": {"keys": ["image", "label_foreground"], "source_key": "label", "margin": 20}},
                {"name": "NormalizeIntensityd", "args": {"keys": ["image"], "nonzero": true, "channel_wise": true}},
                {"name": "AddExtremePointsChanneld", "args": {"keys": ["image"], "label_key": "label_foreground", "sigma": 3, "pert": 0}},
                {"name": "ToTensord", "args": {"keys": ["image", "label"]}}
              ],
              "dataset": {"name": "Dataset", "data_list_file_path": "{DATASET_JSON}", "data_file_base_dir": "{DATA_ROOT}", "data_list_key": "{data_list_key}"},
              "inferer": {"name": "SimpleInferer"},
              "handlers": [
                {"name": "StatsHandler", "rank": 0, "args": {"output_transform": "lambda x: None"}},
                {"name": "TransformInverter", "args": {"output_keys": ["pred"], "batch_keys": "image", "postfix": "inverted", "nearest_interp": false}},
                {"name": "SegmentationSaver", "args": {"resample": false, "output_dir": "{MMAR_EVAL_OUTPUT_PATH}", "batch_transform": "lambda x: x['image_meta_dict']", "output_transform": "lambda x: x['pred_inverted'][0][None]"}},
                {"name": "MetricsSaver", "args": {"save_dir": "{MMAR_EVAL_OUTPUT_PATH}", "metrics": "*", "batch_transform": "lambda x: x['image_meta_dict']"}}
              ],
              "post_transforms": [{"name": "Activationsd", "args": {"keys": "pred", "sigmoid": true}}]
            }
            """);
        return root;
    }
}
