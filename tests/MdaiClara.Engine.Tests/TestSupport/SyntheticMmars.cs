namespace MdaiClara.Engine.Tests.TestSupport;

/// <summary>Small MMARs of other Clara generations, written for the tests (modelled on published layouts).</summary>
internal static class SyntheticMmars
{
    /// <summary>A Clara 3.x TensorFlow segmentation MMAR: "fields", ai4med names, a frozen graph.</summary>
    public static string WriteClara3(TempDirectory temp, string name = "clara3")
    {
        temp.Write($"{name}/config/environment.json", """
            {
                "DATA_ROOT": "/workspace/data/Task09_Spleen",
                "DATASET_JSON": "config/dataset_0.json",
                "PROCESSING_TASK": "segmentation",
                "MMAR_EVAL_OUTPUT_PATH": "eval",
                "MMAR_CKPT_DIR": "models"
            }
            """);
        temp.Write($"{name}/config/config_validation.json", """
            {
                "batch_size": 1,
                "pre_transforms": [
                    {"name": "LoadNifti", "args": {"fields": "image"}},
                    {"name": "ConvertToChannelsFirst", "args": {"fields": "image"}},
                    {"name": "ScaleIntensityRange", "args": {"fields": "image", "a_min": -57, "a_max": 164, "b_min": 0.0, "b_max": 1.0, "clip": true}}
                ],
                "post_transforms": [{"name": "ArgmaxAcrossChannels", "args": {"fields": "model"}}],
                "writers": [{"name": "WriteNifti", "args": {"field": "model", "dtype": "uint8", "write_path": "{MMAR_EVAL_OUTPUT_PATH}"}}],
                "inferer": {"name": "TFScanWindowInferer", "args": {"roi_size": [160, 160, 160], "batch_size": 3}},
                "model_loader": {"name": "FrozenGraphModelLoader", "args": {"model_file_path": "{MMAR_CKPT_DIR}/model.trt.pb"}}
            }
            """);
        temp.Write($"{name}/config/config_train.json", """
            {"epochs": 10, "train": {"model": {"name": "SegAhnet", "args": {"num_classes": 2, "if_use_psp": false}}}}
            """);
        temp.Write($"{name}/config/dataset_0.json", """{"training": [], "validation": []}""");
        temp.Write($"{name}/commands/infer.sh", "python -u -m nvmidl.apps.evaluate -m $MMAR_ROOT -c config/config_validation.json -e config/environment.json\n");
        temp.Write($"{name}/models/model.trt.pb", "not really a graph");
        return temp.Combine(name);
    }

    /// <summary>A Clara 4.0 MMAR: MONAI names with "keys", SegmentationSaver handler, no '@' references.</summary>
    public static string WriteClara40(TempDirectory temp, string name = "clara40")
    {
        temp.Write($"{name}/config/environment.json", """
            {
                "DATA_ROOT": "/data",
                "DATASET_JSON": "/data/dataset.json",
                "PROCESSING_TASK": "segmentation",
                "MMAR_EVAL_OUTPUT_PATH": "eval",
                "MMAR_CKPT_DIR": "models",
                "MMAR_CKPT": "models/model.pt",
                "MMAR_TORCHSCRIPT": "models/model.ts"
            }
            """);
        temp.Write($"{name}/config/config_inference.json", """
            {
                "use_gpu": true,
                "model": {"ts_path": "{MMAR_TORCHSCRIPT}"},
                "pre_transforms": [
                    {"name": "LoadImaged", "args": {"keys": ["image"]}},
                    {"name": "EnsureChannelFirstd", "args": {"keys": ["image"]}},
                    {"name": "ScaleIntensityRanged", "args": {"keys": "image", "a_min": -57, "a_max": 164, "b_min": 0.0, "b_max": 1.0, "clip": true}},
                    {"name": "ToTensord", "args": {"keys": ["image"]}}
                ],
                "dataset": {"name": "Dataset", "data_list_file_path": "{DATASET_JSON}", "data_file_base_dir": "{DATA_ROOT}", "data_list_key": "test"},
                "inferer": {"name": "SlidingWindowInferer", "args": {"roi_size": [160, 160, 160], "sw_batch_size": 4, "overlap": 0.5}},
                "handlers": [
                    {"name": "StatsHandler", "rank": 0, "args": {"output_transform": "lambda x: None"}},
                    {"name": "SegmentationSaver", "args": {"output_dir": "{MMAR_EVAL_OUTPUT_PATH}", "batch_transform": "lambda x: x['image_meta_dict']", "output_transform": "lambda x: x['pred']"}}
                ],
                "post_transforms": [
                    {"name": "Activationsd", "args": {"keys": "pred", "softmax": true}},
                    {"name": "AsDiscreted", "args": {"keys": "pred", "argmax": true, "to_onehot": true, "n_classes": 2}}
                ]
            }
            """);
        temp.Write($"{name}/config/config_train.json", """
            {"out_classes": 2, "train": {"model": {"name": "UNet", "args": {"dimensions": 3, "in_channels": 1, "out_channels": "{out_classes}"}}}}
            """);
        temp.Write($"{name}/commands/infer.sh", "python3 -u -m medl.apps.evaluate -m $MMAR_ROOT -c config/config_inference.json -e config/environment.json\n");
        return temp.Combine(name);
    }
}
