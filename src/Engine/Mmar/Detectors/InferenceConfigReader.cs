using System;
using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Configs;

namespace MdaiClara.Engine.Mmar.Detectors;

/// <summary>Reads an inference config's pipeline (pre-transforms, inferer, post-transforms, handlers, model entries, dataset) with every placeholder resolved and every component's source location kept.</summary>
internal static class InferenceConfigReader
{
    /// <summary>The pipeline of <paramref name="file"/>; placeholders that stay unresolved are added to <paramref name="unresolved"/> with their locations.</summary>
    internal static InferenceConfig Read(ParsedJsonFile file, ConfigObject root, string because, MmarVariables variables, List<UnresolvedReference> unresolved)
    {
        List<ComponentSpec> Components(string key, bool partOfPipeline)
        {
            var list = new List<ComponentSpec>();
            if (root.TryGetValue(key, out var value) && value is object?[] items)
            {
                for (var i = 0; i < items.Length; i++)
                {
                    if (items[i] is ConfigObject o && ReadComponent(file, o, $"/{key}/{i}", variables, unresolved, partOfPipeline) is { } c)
                    {
                        list.Add(c);
                    }
                }
            }

            return list;
        }

        ComponentSpec? inferer = null;
        if (root.GetObject("inferer") is { } infererObject)
        {
            inferer = ReadComponent(file, infererObject, "/inferer", variables, unresolved, partOfPipeline: true);
        }

        var handlers = Components("handlers", partOfPipeline: false);
        handlers.AddRange(Components("writers", partOfPipeline: false));

        var post = Components("post_transforms", partOfPipeline: true);

        var models = new List<ModelReference>();
        void AddModel(ConfigObject o, string pointer)
        {
            var disabled = IsTrue(variables.Resolve(o.TryGetValue("disabled", out var d) ? d : null, pointer + "/disabled", null));
            foreach (var (key, kind) in new[] { ("ts_path", ModelReferenceKind.TorchScript), ("ckpt_path", ModelReferenceKind.Checkpoint) })
            {
                if (o.TryGetValue(key, out var raw) && raw is string s)
                {
                    var list = new List<UnresolvedPlaceholder>();
                    var resolved = variables.ResolveString(s, pointer + "/" + key, list);
                    unresolved.AddRange(list.Select(u => new UnresolvedReference(file.RelativePath, u.Name, u.JsonPointer, file.Locate(u.JsonPointer), StopsInference: !disabled)));
                    models.Add(new ModelReference(kind, s, resolved, disabled, file.RelativePath, pointer + "/" + key, file.Locate(pointer + "/" + key)));
                }
            }
        }

        if (root.TryGetValue("model", out var model))
        {
            if (model is ConfigObject single)
            {
                AddModel(single, "/model");
            }
            else if (model is object?[] many)
            {
                for (var i = 0; i < many.Length; i++)
                {
                    if (many[i] is ConfigObject o)
                    {
                        AddModel(o, $"/model/{i}");
                    }
                }
            }
        }

        if (root.GetObject("model_loader") is { } loader)
        {
            var args = loader.GetObject("args");
            var raw = args?.GetString("model_file_path");
            models.Add(new ModelReference(ModelReferenceKind.TensorFlow, raw, raw is null ? null : variables.ResolveString(raw), false, file.RelativePath, "/model_loader", file.Locate("/model_loader")));
        }

        DatasetSpec? dataset = null;
        if (root.GetObject("dataset") is { } ds)
        {
            var dsArgs = ds.GetObject("args");
            object? Pick(string key) => ds.TryGetValue(key, out var v) ? v : dsArgs is not null && dsArgs.TryGetValue(key, out var a) ? a : null;
            string? Resolve(string key)
            {
                var pointer = ds.ContainsKey(key) ? $"/dataset/{key}" : $"/dataset/args/{key}";
                var list = new List<UnresolvedPlaceholder>();
                var value = variables.ResolveString(Pick(key), pointer, list);
                unresolved.AddRange(list.Select(u => new UnresolvedReference(file.RelativePath, u.Name, u.JsonPointer, file.Locate(u.JsonPointer), StopsInference: true)));
                return value;
            }

            var keyRaw = Pick("data_list_key");
            var key = Resolve("data_list_key");
            dataset = new DatasetSpec(
                Resolve("data_list_file_path"),
                Resolve("data_file_base_dir"),
                key is not null && key.Contains('{', StringComparison.Ordinal) ? null : key,
                keyRaw as string);
        }

        bool? amp = variables.Resolve(root.TryGetValue("amp", out var ampRaw) ? ampRaw : root.TryGetValue("use_amp", out var useAmp) ? useAmp : null, "/amp", null) switch
        {
            bool b => b,
            _ => null,
        };

        return new InferenceConfig(file.RelativePath, because, Components("pre_transforms", partOfPipeline: true), inferer, post, handlers, models, dataset, amp);
    }

    internal static ComponentSpec? ReadComponent(ParsedJsonFile file, ConfigObject o, string pointer, MmarVariables variables, List<UnresolvedReference> unresolved, bool partOfPipeline)
    {
        var name = o.GetString("name");
        var customPath = o.GetString("path");
        if (name is null && customPath is null)
        {
            return null;
        }

        var list = new List<UnresolvedPlaceholder>();
        var args = variables.Resolve(o.GetObject("args") ?? ConfigObject.Empty, pointer + "/args", list) as ConfigObject ?? ConfigObject.Empty;
        var disabled = IsTrue(variables.Resolve(o.TryGetValue("disabled", out var d) ? d : null, pointer + "/disabled", list));
        unresolved.AddRange(list.Select(u => new UnresolvedReference(file.RelativePath, u.Name, u.JsonPointer, file.Locate(u.JsonPointer), StopsInference: partOfPipeline && !disabled)));

        var display = name ?? customPath!;
        return new ComponentSpec(
            display,
            name is not null ? ComponentSpec.Canonicalize(name) : customPath!,
            IsCustomCode: name is null,
            args,
            disabled,
            file.RelativePath,
            pointer,
            file.Locate(pointer));
    }

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => s.Equals("true", StringComparison.OrdinalIgnoreCase),
        long l => l != 0,
        _ => false,
    };

}
