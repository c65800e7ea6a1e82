using System.IO;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Mmar.Repair;

/// <summary>
/// MMARs to repair, written for these tests and modelled on published ones (NVIDIA's Clara 4.0 and 4.1 GettingStarted
/// spleen MMARs, a Clara 4.0 annotation MMAR built from NVIDIA's BraTS one, NVIDIA's 4.1 digital-pathology MMAR): the
/// same layout, keys, handlers and lambdas, with the sample's small TorchScript as the model.
/// </summary>
internal static class RepairFixtures
{
    /// <summary>A Clara 4.0 spleen MMAR without commands/: SegmentationSaver handler, CropForegroundd, no inverter, DATASET_JSON outside.</summary>
    public static string Clara40Spleen(TempDirectory temp, string name = "spleen40")
    {
        temp.Write($"{name}/config/environment.json", """
            {
                "DATA_ROOT": "/claraDevDay/Data/sampleData/",
                "DATASET_JSON": "/claraDevDay/Data/sampleData/dataset.json",
                "PROCESSING_TASK": "segmentation",
                "MMAR_EVAL_OUTPUT_PATH": "eval",
                "MMAR_CKPT_DIR": "models",
                "MMAR_CKPT": "models/model.pt",
                "MMAR_TORCHSCRIPT": "models/model.ts"
            }
            """);
        temp.Write($"{name}/config/config_inference.json", Clara40SpleenInference);
        temp.Write($"{name}/config/config_train_Unet.json", """
            {
              "epochs": 1260,
              "train": {
                "model": {
                  "name": "UNet",
                  "args": {
                    "dimensions": 3,
                    "in_channels": 1,
                    "out_channels": 2,
                    "channels": [16, 32, 64, 128, 256],
                    "strides": [2, 2, 2, 2],
                    "num_res_units": 2
                  }
                }
              }
            }
            """);
        CopyModel(temp, name);
        return temp.Combine(name);
    }

    /// <summary>The inference config of <see cref="Clara40Spleen"/>, in Clara's own layout (2-space indent, short lists inline).</summary>
    public const string Clara40SpleenInference = """
        {
          "use_gpu": true,
          "multi_gpu": false,
          "amp": true,
          "model": {
            "ts_path": "{MMAR_TORCHSCRIPT}"
          },
          "pre_transforms": [
            {
              "name": "LoadImaged",
              "args": {
                "keys": ["image"]
              }
            },
            {
              "name": "EnsureChannelFirstd",
              "args": {
                "keys": ["image"]
              }
            },
            {
              "name": "ScaleIntensityRanged",
              "args": {
                "keys": "image",
                "a_min": -57,
                "a_max": 164,
                "b_min": 0.0,
                "b_max": 1.0,
                "clip": true
              }
            },
            {
              "name": "CropForegroundd",
              "args": {
                "keys": ["image"],
                "source_key": "image"
              }
            },
            {
              "name": "ToTensord",
              "args": {
                "keys": ["image"]
              }
            }
          ],
          "dataset": {
            "name": "Dataset",
            "data_list_file_path": "{DATASET_JSON}",
            "data_file_base_dir": "{DATA_ROOT}",
            "data_list_key": "test"
          },
          "inferer": {
            "name": "SlidingWindowInferer",
            "args": {
              "roi_size": [160, 160, 160],
              "sw_batch_size": 4,
              "overlap": 0.5
            }
          },
          "handlers": [
            {
              "name": "StatsHandler",
              "rank": 0,
              "args": {
                "output_transform": "lambda x: None"
              }
            },
            {
              "name": "SegmentationSaver",
              "args": {
                "output_dir": "{MMAR_EVAL_OUTPUT_PATH}",
                "batch_transform": "lambda x: x['image_meta_dict']",
                "output_transform": "lambda x: x['pred']"
              }
            }
          ],
          "post_transforms": [
            {
              "name": "Activationsd",
              "args": {
                "keys": "pred",
                "softmax": true
              }
            },
            {
              "name": "AsDiscreted",
              "args": {
                "keys": "pred",
                "argmax": true,
                "to_onehot": true,
                "n_classes": 2
              }
            }
          ],
          "evaluator": {
            "name": "SupervisedEvaluator"
          }
        }

        """;

    /// <summary>
    /// A Clara 4.0 MMAR with only a validation config, as the annotation MMAR has it: TransformInverter (postfix
    /// "inverted") and SegmentationSaver handlers, MetricsSaver, a "metrics" list; <paramref name="saverOutput"/> is the
    /// saver's output_transform (the real MMAR's is an AsDiscrete expression no table maps).
    /// </summary>
    public static string Clara40Inverter(TempDirectory temp, string saverOutput = "lambda x: x['pred_inverted']", string name = "inverter40")
    {
        temp.Write($"{name}/config/environment.json", """
            {
                "DATA_ROOT": "/mount/data",
                "DATASET_JSON": "/mount/config/dataset.json",
                "PROCESSING_TASK": "segmentation",
                "MMAR_EVAL_OUTPUT_PATH": "eval",
                "MMAR_CKPT_DIR": "models",
                "MMAR_CKPT": "models/model.pt",
                "MMAR_TORCHSCRIPT": "models/model.ts"
            }
            """);
        temp.Write($"{name}/config/config_validation.json", $$$"""
            {
              "amp": true,
              "dont_load_ts_model": false,
              "dont_load_ckpt_model": true,
              "data_list_key": "testing",
              "model": [
                {"ts_path": "{MMAR_TORCHSCRIPT}", "disabled": "{dont_load_ts_model}"},
                {"ckpt_path": "{MMAR_CKPT}", "disabled": "{dont_load_ckpt_model}"}
              ],
              "pre_transforms": [
                {"name": "LoadImaged", "args": {"keys": ["image"]}},
                {"name": "EnsureChannelFirstd", "args": {"keys": ["image"]}},
                {"name": "CropForegroundd", "args": {"keys": ["image"], "source_key": "image", "margin": 20}},
                {"name": "NormalizeIntensityd", "args": {"keys": ["image"], "nonzero": true, "channel_wise": true}},
                {"name": "ToTensord", "args": {"keys": ["image"]}}
              ],
              "dataset": {"name": "Dataset", "data_list_file_path": "{DATASET_JSON}", "data_file_base_dir": "{DATA_ROOT}", "data_list_key": "{data_list_key}"},
              "inferer": {"name": "SimpleInferer"},
              "handlers": [
                {"name": "CheckpointLoader", "disabled": "{dont_load_ckpt_model}", "args": {"load_path": "{MMAR_CKPT}", "load_dict": ["model"]}},
                {"name": "StatsHandler", "rank": 0, "args": {"output_transform": "lambda x: None"}},
                {"name": "TransformInverter", "args": {"output_keys": ["pred"], "batch_keys": "image", "postfix": "inverted", "nearest_interp": false}},
                {"name": "SegmentationSaver", "args": {"resample": false, "output_dir": "{MMAR_EVAL_OUTPUT_PATH}", "batch_transform": "lambda x: x['image_meta_dict']", "output_transform": "{{{saverOutput}}}"}},
                {"name": "MetricsSaver", "args": {"save_dir": "{MMAR_EVAL_OUTPUT_PATH}", "metrics": "*", "batch_transform": "lambda x: x['image_meta_dict']", "summary_ops": "*"}}
              ],
              "post_transforms": [
                {"name": "Activationsd", "args": {"keys": "pred", "sigmoid": true}}
              ],
              "metrics": [
                {"name": "MeanDice", "log_label": "val_mean_dice", "is_key_metric": true, "args": {"include_background": true, "output_transform": "lambda x: (x['pred_inverted'], x['label'])"}},
                {"name": "Accuracy", "log_label": "val_acc", "args": {"output_transform": "lambda x: (x['pred'], x['label'])"}}
              ],
              "evaluator": {"name": "SupervisedEvaluator"}
            }
            """);
        temp.Write($"{name}/config/config_train.json", """
            {"train": {"model": {"name": "DynUNet", "args": {"spatial_dims": 3, "in_channels": 1, "out_channels": 6}}}}
            """);
        CopyModel(temp, name);
        return temp.Combine(name);
    }

    /// <summary>A Clara 4.1 classification MMAR without commands/ whose configs state no output channel count (as NVIDIA's pathology MMAR).</summary>
    public static string Clara41NoChannels(TempDirectory temp, string name = "pathology41")
    {
        temp.Write($"{name}/config/environment.json", """
            {
                "DATASET_JSON": "config/dataset_0.json",
                "PROCESSING_TASK": "classification",
                "MMAR_EVAL_OUTPUT_PATH": "eval",
                "MMAR_TORCHSCRIPT": "models/model.ts"
            }
            """);
        temp.Write($"{name}/config/dataset_0.json", """{"testing": []}""");
        temp.Write($"{name}/config/config_inference.json", """
            {
              "model": {"ts_path": "{MMAR_TORCHSCRIPT}"},
              "pre_transforms": [
                {"name": "LoadImaged", "args": {"keys": ["image"]}},
                {"name": "ScaleIntensityRangeD", "args": {"keys": "image", "a_min": 0.0, "a_max": 255.0, "b_min": -1.0, "b_max": 1.0}},
                {"name": "ToTensorD", "args": {"keys": ["image"]}}
              ],
              "dataset": {"name": "Dataset", "data_list_file_path": "{DATASET_JSON}", "data_list_key": "testing", "args": {"transform": "@pre_transforms"}},
              "inferer": {"name": "SimpleInferer"},
              "handlers": [{"name": "ClassificationSaver", "args": {"output_dir": "{MMAR_EVAL_OUTPUT_PATH}"}}],
              "post_transforms": [{"name": "ActivationsD", "args": {"keys": "pred", "sigmoid": true}}]
            }
            """);
        CopyModel(temp, name);
        return temp.Combine(name);
    }

    public static void CopyModel(TempDirectory temp, string name)
    {
        Directory.CreateDirectory(temp.Combine(name, "models"));
        File.Copy(Path.Combine(TestPaths.SampleMmar, "models", "model.ts"), temp.Combine(name, "models", "model.ts"));
    }
}
