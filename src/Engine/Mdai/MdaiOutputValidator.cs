using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Diagnostics;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// Checks what a model's <c>predict</c> returned the way MD.ai's model server does before it accepts it
/// (mdai/model-deploy, <c>mdai/validation.py</c>, API 0.3), and reports every problem instead of only the first.
/// </summary>
/// <remarks>
/// <para>The JSON node stands for the Python value: a JSON integer (no '.', 'e' or 'E') is int, any other number is
/// float, true/false are bool, null is None (see <see cref="MdaiOutputJson"/>). MD.ai compares exact types
/// (<c>type(v) in [...]</c>), so a bool is not an int and an int is not a float, except in data's point, box and
/// frame-interval values, which it checks with isinstance (a bool passes there, as in MD.ai).</para>
/// <para>Error findings are what MD.ai rejects. MD.ai stops at the first problem; the first Error finding here is
/// the one it reports, because the checks run in MD.ai's order: the outputs in list order, and within an output
/// 'type' and the keys it requires, then each key's type in the dict's key order (an unknown key fails there), then
/// data (key set, value types, then the first vertex or mask[0][0]), then a dict note, then image_output_tags. Its
/// <see cref="MdaiOutputFinding.MdaiMessage"/> is the text MD.ai's server answers after
/// <see cref="ResponsePrefix"/> (with Python 3.7–3.13 wording for the TypeError and AttributeError cases). A
/// PowerShell hashtable has no key order; use [ordered] dictionaries where that first error matters.</para>
/// <para>MD.ai checks only the first vertex and mask[0][0]. With <c>strict</c>, Warning findings also cover every
/// other vertex and mask value (rows that are lists of one length, values that are int or float), empty masks and
/// vertex lists, probabilities, and explanations. With <c>instanceSizes</c>, Warning findings say where a mask is
/// not Rows × Columns of its instance. Warnings never make MD.ai reject an output.</para>
/// </remarks>
public static class MdaiOutputValidator
{
    /// <summary>What MD.ai's server puts before the validator's message in its HTTP 500 answer.</summary>
    public const string ResponsePrefix = "Invalid data format returned by model: ";

    /// <summary>
    /// Validates the value predict returned. Never throws for any tree; an empty list means MD.ai accepts it.
    /// </summary>
    /// <param name="outputs">The returned value (a list of output dicts when right).</param>
    /// <param name="strict">Also check every mask value and vertex, probabilities and explanations (Warnings).</param>
    /// <param name="instanceSizes">SOPInstanceUID → (Rows, Columns) of the instances the model saw; when given, each
    /// mask is checked against its instance's size (Warnings).</param>
    public static IReadOnlyList<MdaiOutputFinding> Validate(JsonNode? outputs, bool strict = false, IReadOnlyDictionary<string, (int Rows, int Columns)>? instanceSizes = null)
    {
        var sink = new FindingCollector();
        var type = PythonValues.TypeOf(outputs);
        if (type != PythonType.List)
        {
            var got = PythonRepr.Class(type);
            var hint = type == PythonType.Dict ? " Wrap a single output in a list: return [output]." : " Return [] when there is nothing to report.";
            sink.Error(MdaiOutputRuleIds.OutputNotList, string.Empty, $"predict must return a list of output dicts, but it returned {FindingCollector.Describe(outputs)}.{hint}", $"Expected list, got {got}");
            return sink.Findings;
        }

        var list = (JsonArray)outputs!;
        for (var i = 0; i < list.Count; i++)
        {
            var checker = new OutputChecker(sink, OutputLocation.Index(string.Empty, i), strict, instanceSizes);
            checker.Check(list[i]);
        }

        return sink.Findings;
    }

    /// <summary>
    /// Validates a list given output by output, so a long one (a mask is a node per pixel) need not be held whole: the
    /// same findings, at the same locations, as <see cref="Validate"/> on the list. <paramref name="seen"/> sees each
    /// output after its checks.
    /// </summary>
    public static IReadOnlyList<MdaiOutputFinding> ValidateEach(IEnumerable<JsonNode?> outputs, bool strict = false, IReadOnlyDictionary<string, (int Rows, int Columns)>? instanceSizes = null, Action<JsonNode?>? seen = null)
    {
        var sink = new FindingCollector();
        var i = 0;
        foreach (var output in outputs)
        {
            new OutputChecker(sink, OutputLocation.Index(string.Empty, i++), strict, instanceSizes).Check(output);
            seen?.Invoke(output);
        }

        return sink.Findings;
    }

    /// <summary>True when MD.ai accepts the output: no Error findings (warnings do not count).</summary>
    public static bool Passes(IEnumerable<MdaiOutputFinding> findings) => findings.All(f => f.Severity != FindingSeverity.Error);

    /// <summary>The problem MD.ai's server would report (the first Error finding), or null when it accepts the output.</summary>
    public static MdaiOutputFinding? FirstRejection(IEnumerable<MdaiOutputFinding> findings) => findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error);

    /// <summary>The checks of one output dict, in MD.ai's order.</summary>
    private sealed class OutputChecker
    {
        private readonly FindingCollector _sink;
        private readonly string _at;
        private readonly bool _strict;
        private readonly IReadOnlyDictionary<string, (int Rows, int Columns)>? _sizes;

        public OutputChecker(FindingCollector sink, string at, bool strict, IReadOnlyDictionary<string, (int Rows, int Columns)>? sizes)
        {
            _sink = sink;
            _at = at;
            _strict = strict;
            _sizes = sizes;
        }

        public void Check(JsonNode? node)
        {
            var type = PythonValues.TypeOf(node);
            if (type != PythonType.Dict)
            {
                // MD.ai calls output.get("type") first, which fails on anything but a dict.
                _sink.Error(MdaiOutputRuleIds.OutputNotDict, _at, $"Each output must be a dict such as {{\"type\": \"NONE\", \"study_uid\": ...}}, but this one is {FindingCollector.Describe(node)}.", $"'{PythonRepr.TypeName(type)}' object has no attribute 'get'");
                return;
            }

            var output = (JsonObject)node!;
            var typeReported = CheckTypeAndRequiredKeys(output);
            CheckKeyTypes(output, typeReported);
            CheckData(output);
            CheckNote(output);
            CheckImageOutputTags(output);
            if (_strict)
            {
                StrictOutputChecks.Probability(output, _at, _sink);
                StrictOutputChecks.Explanations(output, _at, _sink);
            }
        }

        /// <summary>MD.ai's validate_keys. Returns true when 'type' itself was reported.</summary>
        private bool CheckTypeAndRequiredKeys(JsonObject output)
        {
            var present = output.TryGetPropertyValue("type", out var typeNode);
            var type = PythonValues.TypeOf(typeNode);
            var known = MdaiOutputSchema.RequiredKeys.Select(p => p.Key).ToArray();
            var knownText = FindingCollector.Quoted(known);
            var at = OutputLocation.Key(_at, "type");

            if (type is PythonType.List or PythonType.Dict)
            {
                // "x in dict.keys()" hashes x, and a list or dict cannot be hashed.
                _sink.Error(MdaiOutputRuleIds.TypeUnknown, at, $"'type' is {FindingCollector.Describe(typeNode)}; it must be one of the strings {knownText}.", $"unhashable type: '{PythonRepr.TypeName(type)}'");
                return true;
            }

            string[]? required = null;
            if (PythonValues.TryGetString(typeNode, out var name))
            {
                required = MdaiOutputSchema.RequiredKeysOf(name);
            }

            if (required is null)
            {
                string message;
                if (!present)
                {
                    message = $"The output has no 'type'. Add 'type': one of {knownText}.";
                }
                else if (type == PythonType.Str)
                {
                    var upper = name.ToUpperInvariant();
                    var hint = MdaiOutputSchema.RequiredKeysOf(upper) is not null ? $" Write it in upper case: '{upper}'." : string.Empty;
                    message = $"'type' is {PythonRepr.String(name)}, which MD.ai does not know; it must be one of {knownText}.{hint}";
                }
                else
                {
                    message = $"'type' is {FindingCollector.Describe(typeNode)}; it must be one of the strings {knownText}.";
                }

                _sink.Error(MdaiOutputRuleIds.TypeUnknown, present ? at : _at, message, "Invalid output type. Got " + PythonRepr.Str(typeNode));
                return present;
            }

            foreach (var key in required)
            {
                if (!output.ContainsKey(key))
                {
                    _sink.Error(MdaiOutputRuleIds.RequiredKeyMissing, OutputLocation.Key(_at, key), $"A '{name}' output needs {FindingCollector.Quoted(required)}; '{key}' ({RequiredKeyMeaning(key)}) is missing.", $"Key '{key}' not found in model output");
                }
            }

            return false;
        }

        /// <summary>MD.ai's validate_types: every key must be known and hold one of its exact Python types.</summary>
        private void CheckKeyTypes(JsonObject output, bool typeReported)
        {
            foreach (var (key, value) in output)
            {
                var at = OutputLocation.Key(_at, key);
                var allowed = MdaiOutputSchema.TypesOf(key);
                if (allowed is null)
                {
                    // MD.ai looks the key up in its type table, and the KeyError ends validation.
                    _sink.Error(MdaiOutputRuleIds.KeyNotAllowed, at, $"{PythonRepr.String(key)} is not a key MD.ai knows, and MD.ai fails on any unknown key.{SuggestKey(key)} Allowed keys: {string.Join(", ", MdaiOutputSchema.KeyTypes.Select(p => p.Key))}.", PythonRepr.String(key));
                    continue;
                }

                if (key == "type" && typeReported)
                {
                    continue;
                }

                var type = PythonValues.TypeOf(value);
                if (Array.IndexOf(allowed, type) >= 0)
                {
                    continue;
                }

                var expected = allowed.Length == 1 ? PythonRepr.Class(allowed[0]) : PythonRepr.ClassList(allowed);
                _sink.Error(
                    MdaiOutputRuleIds.ValueTypeInvalid,
                    at,
                    $"'{key}' must be {FindingCollector.Alternatives(allowed)}, but it is {FindingCollector.Describe(value)}. {TypeHint(allowed, type)}",
                    $"Incorrect type for key {key} in model output. Expected {expected}, got {PythonRepr.Str(value)}");
            }
        }

        /// <summary>MD.ai's validate_data: the key set must be one of the data shapes, with values of its types.</summary>
        private void CheckData(JsonObject output)
        {
            if (!output.TryGetPropertyValue("data", out var node) || PythonValues.TypeOf(node) != PythonType.Dict)
            {
                // None needs no check; any other type was reported by the key types.
                return;
            }

            var data = (JsonObject)node!;
            var at = OutputLocation.Key(_at, "data");
            var keys = data.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var shape = MdaiOutputSchema.DataShapes.LastOrDefault(s => keys.SetEquals(s.Keys.Select(k => k.Key)));
            if (shape is null)
            {
                var found = keys.Count == 0 ? "no keys" : "the keys {" + string.Join(", ", data.Select(p => p.Key)) + "}";
                _sink.Error(MdaiOutputRuleIds.DataShapeInvalid, at, $"data has {found}, which is none of MD.ai's data shapes: {string.Join("; ", MdaiOutputSchema.DataShapes)}. Use exactly the keys of one shape (a segmentation is {{\"mask\": [[...], ...]}}; use None when there is no data).", "Model output data field does not conform to any known format.");
                return;
            }

            var valuesOk = true;
            foreach (var (key, value) in data)
            {
                var expected = shape.TypeOf(key)!.Value;
                var type = PythonValues.TypeOf(value);
                var ok = expected == PythonType.Int ? PythonValues.IsInstanceOfInt(type) : type == expected;
                if (ok)
                {
                    continue;
                }

                valuesOk = false;
                var hint = expected == PythonType.Int
                    ? type == PythonType.Float ? " Round it: int(round(v))." : " Convert it with int(...); a numpy integer must be converted too."
                    : " Convert numpy arrays with .tolist().";
                _sink.Error(MdaiOutputRuleIds.DataValueTypeInvalid, OutputLocation.Key(at, key), $"data.{key} of a {shape.Name} must be {FindingCollector.Named(expected)}, but it is {FindingCollector.Describe(value)}.{hint}", $"Invalid type for key '{key}' in data. Expected {PythonRepr.Class(expected)}, got {PythonRepr.Class(type)}");
            }

            if (!valuesOk)
            {
                return;
            }

            if (shape.Name == "vertices")
            {
                CheckVertices((JsonArray)data["vertices"]!, OutputLocation.Key(at, "vertices"));
            }
            else if (shape.Name == "mask")
            {
                var mask = (JsonArray)data["mask"]!;
                var maskAt = OutputLocation.Key(at, "mask");
                CheckMask(mask, maskAt);
                if (_sizes is not null && (mask.Count == 0 || PythonValues.TypeOf(mask[0]) == PythonType.List))
                {
                    MaskSizeCheck.Check(output, mask, maskAt, _at, _sizes, _sink);
                }
            }
        }

        /// <summary>MD.ai checks only the first vertex: a list of two ints or floats.</summary>
        private void CheckVertices(JsonArray vertices, string at)
        {
            if (vertices.Count > 0)
            {
                var firstAt = OutputLocation.Index(at, 0);
                var first = vertices[0];
                if (PythonValues.TypeOf(first) != PythonType.List)
                {
                    _sink.Error(MdaiOutputRuleIds.VerticesInvalid, firstAt, $"vertices must be a list of [x, y] pairs, but vertices[0] is {FindingCollector.Describe(first)}. A flat [x1, y1, x2, y2, ...] list must be split into pairs.", "Vertices needs to be a 2D array");
                }
                else if (((JsonArray)first!).Count != 2)
                {
                    var n = ((JsonArray)first!).Count;
                    _sink.Error(MdaiOutputRuleIds.VerticesInvalid, firstAt, $"Each vertex must be [x, y], but vertices[0] has {FindingCollector.Count(n, "value", "values")}.", $"Each vertex needs to have only 2 values [x, y] got {n} values.");
                }
                else
                {
                    var x = PythonValues.TypeOf(first![0]);
                    var y = PythonValues.TypeOf(first[1]);
                    if (!PythonValues.IsIntOrFloat(x) || !PythonValues.IsIntOrFloat(y))
                    {
                        _sink.Error(MdaiOutputRuleIds.VerticesInvalid, firstAt, $"Vertex coordinates must be int or float, but vertices[0] is [{FindingCollector.Named(x)}, {FindingCollector.Named(y)}]. Convert numpy values with .tolist() (bool is not accepted).", $"Invalid vertex data type. Got {PythonRepr.ClassList(x, y)} Expected {PythonRepr.ClassList(PythonType.Int, PythonType.Float)}");
                    }
                }
            }

            if (_strict)
            {
                StrictOutputChecks.Vertices(vertices, at, _sink);
            }
        }

        /// <summary>MD.ai checks only that mask[0] is a list and mask[0][0] an int or float.</summary>
        private void CheckMask(JsonArray mask, string at)
        {
            if (mask.Count > 0)
            {
                var row = mask[0];
                if (PythonValues.TypeOf(row) != PythonType.List)
                {
                    _sink.Error(MdaiOutputRuleIds.MaskInvalid, OutputLocation.Index(at, 0), $"The mask must be a 2-D list (rows of columns), but mask[0] is {FindingCollector.Describe(row)}. Return the instance's 2-D mask converted with .tolist(), not a flat or 1-D array.", "Mask needs to be returned as a 2D python list.\nNumpy arrays can be converted to lists using the .tolist() method");
                    return;
                }

                var cells = (JsonArray)row!;
                if (cells.Count > 0 && !PythonValues.IsIntOrFloat(PythonValues.TypeOf(cells[0])))
                {
                    var type = PythonValues.TypeOf(cells[0]);
                    var hint = type switch
                    {
                        PythonType.Bool => " A boolean mask must be converted: mask.astype(numpy.uint8).tolist().",
                        PythonType.List => " The mask has more than 2 dimensions; return one 2-D mask per instance (and per class).",
                        _ => " Convert the mask with .tolist().",
                    };
                    _sink.Error(MdaiOutputRuleIds.MaskInvalid, OutputLocation.Index(at, 0, 0), $"Mask values must be int or float, but mask[0][0] is {FindingCollector.Describe(cells[0])}.{hint}", $"Invalid mask data type. Got {PythonRepr.Class(type)} Expected {PythonRepr.ClassList(PythonType.Int, PythonType.Float)}");
                }
            }

            if (_strict)
            {
                StrictOutputChecks.Mask(mask, at, _sink);
            }
        }

        /// <summary>MD.ai's validate_note: a non-empty dict note may have only 'input' and 'output', both str.</summary>
        private void CheckNote(JsonObject output)
        {
            output.TryGetPropertyValue("note", out var note);
            if (PythonValues.IsFalsy(note) || PythonValues.TypeOf(note) != PythonType.Dict)
            {
                return;
            }

            var at = OutputLocation.Key(_at, "note");
            foreach (var (key, value) in (JsonObject)note!)
            {
                if (Array.IndexOf(MdaiOutputSchema.NoteKeys, key) < 0)
                {
                    _sink.Error(MdaiOutputRuleIds.NoteInvalid, OutputLocation.Key(at, key), $"A dict note may only have the keys 'input' and 'output', not {PythonRepr.String(key)}. Remove it, or return the note as a str.", $"Invalid key for output note dict. Got '{key}' Expected ['input', 'output']");
                    continue;
                }

                var type = PythonValues.TypeOf(value);
                if (type != PythonType.Str)
                {
                    _sink.Error(MdaiOutputRuleIds.NoteInvalid, OutputLocation.Key(at, key), $"note.{key} must be a str, but it is {FindingCollector.Describe(value)}. Convert it with str(...).", $"Invalid value type for note dict key '{key}'. Got '{PythonRepr.Class(type)}' Expected <class 'str'>");
                }
            }
        }

        /// <summary>MD.ai's validate_image_output_tags: only three DICOM keys, all str.</summary>
        private void CheckImageOutputTags(JsonObject output)
        {
            output.TryGetPropertyValue("image_output_tags", out var tags);
            if (PythonValues.IsFalsy(tags) || PythonValues.TypeOf(tags) != PythonType.Dict)
            {
                return;
            }

            var at = OutputLocation.Key(_at, "image_output_tags");
            var allowed = "['" + string.Join("', '", MdaiOutputSchema.ImageOutputTagKeys) + "']";
            foreach (var (key, value) in (JsonObject)tags!)
            {
                if (Array.IndexOf(MdaiOutputSchema.ImageOutputTagKeys, key) < 0)
                {
                    _sink.Error(MdaiOutputRuleIds.ImageOutputTagsInvalid, OutputLocation.Key(at, key), $"image_output_tags may only have {FindingCollector.Quoted(MdaiOutputSchema.ImageOutputTagKeys)}, not {PythonRepr.String(key)}. Remove it.", $"Invalid key for image_output_tags. Got '{key}', expected values include {allowed}");
                    continue;
                }

                var type = PythonValues.TypeOf(value);
                if (type != PythonType.Str)
                {
                    _sink.Error(MdaiOutputRuleIds.ImageOutputTagsInvalid, OutputLocation.Key(at, key), $"image_output_tags.{key} must be a str, but it is {FindingCollector.Describe(value)}. Convert it with str(...).", $"Invalid type for image_output_tags[{key}]. Got '{PythonRepr.Class(type)}' expected <class 'str'>");
                }
            }
        }

        private static string RequiredKeyMeaning(string key) => key switch
        {
            "study_uid" => "the StudyInstanceUID, a str",
            "class_index" => "an int: which of the model's label classes",
            "images" => "a list of the output images",
            _ => "required",
        };

        /// <summary>A hint for a key MD.ai does not know: its DICOM keyword, or the same name in other case or spelling.</summary>
        private static string SuggestKey(string key)
        {
            var normalized = Normalize(key);
            var suggestion = normalized switch
            {
                "studyinstanceuid" or "study" or "studyuid" => "study_uid",
                "seriesinstanceuid" or "series" or "seriesuid" => "series_uid",
                "sopinstanceuid" or "instance" or "instanceuid" or "sopuid" => "instance_uid",
                _ => MdaiOutputSchema.KeyTypes.Select(p => p.Key).FirstOrDefault(k => Normalize(k) == normalized),
            };
            return suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?";

            static string Normalize(string s) => s.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        }

        private static string TypeHint(PythonType[] allowed, PythonType got)
        {
            if (allowed.Contains(PythonType.Int))
            {
                return got switch
                {
                    PythonType.Bool => "True/False are bool, which MD.ai does not take for an int; use 1 or 0.",
                    PythonType.Float => "Convert it with int(...); MD.ai checks the exact type, so a numpy integer (numpy.int64) needs int(...) too.",
                    PythonType.Str => "Convert it with int(...).",
                    _ => "MD.ai checks the exact type: use a Python int (int(...)), not a numpy integer.",
                };
            }

            if (allowed.Contains(PythonType.Float) && got == PythonType.Int)
            {
                return "Write it as a float (1.0) or convert it with float(...); MD.ai checks the exact type, so an int, and a numpy float, need float(...).";
            }

            if (allowed.Contains(PythonType.Str))
            {
                return "Convert it with str(...).";
            }

            return "MD.ai checks the exact Python type; convert numpy arrays with .tolist() and numpy scalars with int(...) or float(...).";
        }
    }
}
