using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>An MMAR's input and output channel counts, each from the first source that states one, with that source.</summary>
internal static class ChannelsDetector
{
    /// <summary>
    /// The input channel count: INPUT_CHANNELS, else the train config's network in_channels; then checked against the
    /// channels the pre-transforms add (<see cref="ExtraModelInputs"/>), which may say it cannot tell.
    /// </summary>
    internal static Detection<int?> Input(MmarVariables variables, (ConfigObject? Args, string? File) network, InferenceConfig? inference)
    {
        var (channels, source) = FirstChannelCount(
            (variables["INPUT_CHANNELS"], "INPUT_CHANNELS in config/environment.json"),
            (network.Args?.GetValueOrDefault("in_channels"), $"in_channels of the network in {network.File}"));
        (channels, source) = ExtraModelInputs.InputChannels(channels, source, inference);
        return new(channels, source);
    }

    /// <summary>The output channel count: OUTPUT_CHANNELS, config_mdai.json, the network's out_channels/num_classes/out_classes, else AsDiscreted's one-hot count.</summary>
    internal static Detection<int?> Output(MmarVariables variables, ConfigObject? mdaiConfig, (ConfigObject? Args, string? File) network, InferenceConfig? inference, string? inferenceFile)
    {
        var (channels, source) = FirstChannelCount(
            (variables["OUTPUT_CHANNELS"], "OUTPUT_CHANNELS in config/environment.json"),
            (mdaiConfig?.GetValueOrDefault("out_classes"), "out_classes in config_mdai.json"),
            (network.Args?.GetValueOrDefault("out_channels"), $"out_channels of the network in {network.File}"),
            (network.Args?.GetValueOrDefault("num_classes"), $"num_classes of the network in {network.File}"),
            (network.Args?.GetValueOrDefault("out_classes"), $"out_classes of the network in {network.File}"),
            (OneHotClasses(inference), $"the one-hot class count of AsDiscreted in {inferenceFile}"));
        return new(channels, source);
    }

    /// <summary>The network's arguments in the train config (the first "model" entry with name/path and args, breadth-first, as MONAI's MMAR loader searches).</summary>
    internal static (ConfigObject? Args, string? File) NetworkArgs(ConfigObject? trainRoot, MmarVariables variables, string? trainFile)
    {
        if (trainRoot is null)
        {
            return (null, null);
        }

        // Breadth-first for a "model" entry with name/path and args, as MONAI's MMAR loader searches.
        var queue = new Queue<object?>();
        queue.Enqueue(trainRoot);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node is ConfigObject o)
            {
                if (o.GetObject("model") is { } model && (model.ContainsKey("name") || model.ContainsKey("path")) && model.GetObject("args") is { } args)
                {
                    return (variables.Resolve(args, "/model/args", null) as ConfigObject, trainFile);
                }

                foreach (var v in o.Values)
                {
                    queue.Enqueue(v);
                }
            }
            else if (node is object?[] list)
            {
                foreach (var item in list)
                {
                    queue.Enqueue(item);
                }
            }
        }

        return (null, trainFile);
    }

    private static object? OneHotClasses(InferenceConfig? inference)
    {
        var discrete = inference?.PostTransforms.FirstOrDefault(c => c.CanonicalName is "AsDiscreted" or "AsDiscrete");
        if (discrete is null)
        {
            return null;
        }

        if (discrete.Args.TryGetValue("to_onehot", out var onehot) && onehot is long or double)
        {
            return onehot;
        }

        foreach (var key in new[] { "n_classes", "num_classes" })
        {
            if (discrete.Args.TryGetValue(key, out var n) && n is long or double)
            {
                return n;
            }
        }

        return null;
    }

    private static (int?, string?) FirstChannelCount(params (object? Value, string Source)[] candidates)
    {
        foreach (var (value, source) in candidates)
        {
            var n = value switch
            {
                long l when l is > 0 and <= int.MaxValue => (int?)l,
                double d when d > 0 && d == Math.Floor(d) && d <= int.MaxValue => (int)d,
                string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i > 0 => i,
                _ => null,
            };
            if (n is not null)
            {
                return (n, source);
            }
        }

        return (null, null);
    }
}
