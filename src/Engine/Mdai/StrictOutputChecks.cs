using System.Text.Json.Nodes;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// The checks MD.ai does not make, run when a caller asks for strict validation: every mask value and vertex (MD.ai
/// looks only at the first), probabilities and explanations. All are Warnings: MD.ai accepts what they flag, but
/// the result is malformed or meaningless on the platform.
/// </summary>
internal static class StrictOutputChecks
{
    /// <summary>At most this many element findings per mask or list; the rest are counted in one more finding.</summary>
    public const int MaxElementFindings = 10;

    /// <summary>Every row a list as long as row 0, every value int or float (mask[0] being a list is known).</summary>
    public static void Mask(JsonArray mask, string at, FindingCollector sink)
    {
        if (mask.Count == 0)
        {
            sink.Warning(MdaiOutputRuleIds.MaskElementsInvalid, at, "The mask is empty ([]). MD.ai accepts it, but it marks nothing; return a 'NONE' output for an instance without findings.");
            return;
        }

        if (PythonValues.TypeOf(mask[0]) != PythonType.List)
        {
            // MD.ai already rejects a mask whose first row is not a list.
            return;
        }

        var columns = ((JsonArray)mask[0]!).Count;
        if (columns == 0)
        {
            sink.Warning(MdaiOutputRuleIds.MaskElementsInvalid, OutputLocation.Index(at, 0), "mask[0] is empty: MD.ai accepts it without looking further, but a mask row must hold the instance's Columns values.");
        }

        var limiter = new ElementLimiter(sink, MdaiOutputRuleIds.MaskElementsInvalid, at, "mask");
        for (var r = 0; r < mask.Count; r++)
        {
            var rowAt = OutputLocation.Index(at, r);
            if (PythonValues.TypeOf(mask[r]) != PythonType.List)
            {
                limiter.Add(rowAt, $"mask[{r}] is {FindingCollector.Describe(mask[r])}, not a row (a list of {columns} values). MD.ai checks only mask[0][0]; convert the mask with .tolist().");
                continue;
            }

            var row = (JsonArray)mask[r]!;
            if (row.Count != columns)
            {
                limiter.Add(rowAt, $"mask[{r}] has {FindingCollector.Count(row.Count, "value", "values")}, but mask[0] has {columns}: every row must be as long (the instance's Columns). MD.ai does not check it.");
            }

            for (var c = 0; c < row.Count; c++)
            {
                if (r == 0 && c == 0)
                {
                    // MD.ai's own check.
                    continue;
                }

                var type = PythonValues.TypeOf(row[c]);
                if (!PythonValues.IsIntOrFloat(type))
                {
                    limiter.Add(OutputLocation.Index(at, r, c), $"mask[{r}][{c}] is {FindingCollector.Describe(row[c])}; every mask value must be an int or a float. MD.ai checks only mask[0][0].");
                }
            }
        }

        limiter.Finish();
    }

    /// <summary>Every vertex a list of two ints or floats (MD.ai checks only the first); at least one vertex.</summary>
    public static void Vertices(JsonArray vertices, string at, FindingCollector sink)
    {
        if (vertices.Count == 0)
        {
            sink.Warning(MdaiOutputRuleIds.VerticesElementsInvalid, at, "There are no vertices. MD.ai accepts it, but the shape is empty; return a 'NONE' output when nothing was found.");
            return;
        }

        var limiter = new ElementLimiter(sink, MdaiOutputRuleIds.VerticesElementsInvalid, at, "vertex list");
        for (var i = 1; i < vertices.Count; i++)
        {
            var vertexAt = OutputLocation.Index(at, i);
            var vertex = vertices[i];
            if (PythonValues.TypeOf(vertex) != PythonType.List)
            {
                limiter.Add(vertexAt, $"vertices[{i}] is {FindingCollector.Describe(vertex)}, not an [x, y] pair. MD.ai checks only the first vertex.");
                continue;
            }

            var pair = (JsonArray)vertex!;
            if (pair.Count != 2)
            {
                limiter.Add(vertexAt, $"vertices[{i}] has {FindingCollector.Count(pair.Count, "value", "values")}; each vertex must be [x, y]. MD.ai checks only the first vertex.");
                continue;
            }

            for (var k = 0; k < 2; k++)
            {
                if (!PythonValues.IsIntOrFloat(PythonValues.TypeOf(pair[k])))
                {
                    limiter.Add(OutputLocation.Index(at, i, k), $"vertices[{i}][{k}] is {FindingCollector.Describe(pair[k])}; coordinates must be int or float. MD.ai checks only the first vertex.");
                }
            }
        }

        limiter.Finish();
    }

    /// <summary>A float probability in 0..1, or a list of {"class_index": int, "probability": number in 0..1}.</summary>
    public static void Probability(JsonObject output, string outputAt, FindingCollector sink)
    {
        if (!output.TryGetPropertyValue("probability", out var probability))
        {
            return;
        }

        var at = OutputLocation.Key(outputAt, "probability");
        switch (PythonValues.TypeOf(probability))
        {
            case PythonType.Float:
                CheckRange(probability, at, "probability", sink, null);
                break;
            case PythonType.List:
                var list = (JsonArray)probability!;
                var limiter = new ElementLimiter(sink, MdaiOutputRuleIds.ProbabilityInvalid, at, "probability list");
                for (var i = 0; i < list.Count; i++)
                {
                    var itemAt = OutputLocation.Index(at, i);
                    if (PythonValues.TypeOf(list[i]) != PythonType.Dict)
                    {
                        limiter.Add(itemAt, $"probability[{i}] is {FindingCollector.Describe(list[i])}; each element of a probability list must be {{\"class_index\": int, \"probability\": float}}, as in MD.ai's examples.");
                        continue;
                    }

                    var item = (JsonObject)list[i]!;
                    if (!item.TryGetPropertyValue("class_index", out var classIndex) || PythonValues.TypeOf(classIndex) != PythonType.Int)
                    {
                        limiter.Add(OutputLocation.Key(itemAt, "class_index"), $"probability[{i}] needs 'class_index', an int (the label class), but it {(item.ContainsKey("class_index") ? "is " + FindingCollector.Describe(classIndex) : "is missing")}.");
                    }

                    if (!item.TryGetPropertyValue("probability", out var value) || !PythonValues.IsIntOrFloat(PythonValues.TypeOf(value)))
                    {
                        limiter.Add(OutputLocation.Key(itemAt, "probability"), $"probability[{i}] needs 'probability', a float, but it {(item.ContainsKey("probability") ? "is " + FindingCollector.Describe(value) : "is missing")}. Convert numpy values with float(...).");
                    }
                    else
                    {
                        CheckRange(value, OutputLocation.Key(itemAt, "probability"), $"probability[{i}].probability", sink, limiter);
                    }
                }

                limiter.Finish();
                break;
        }
    }

    /// <summary>Each explanation a dict with str name, description and content_type, and bytes content.</summary>
    public static void Explanations(JsonObject output, string outputAt, FindingCollector sink)
    {
        if (!output.TryGetPropertyValue("explanations", out var node) || PythonValues.TypeOf(node) != PythonType.List)
        {
            return;
        }

        var at = OutputLocation.Key(outputAt, "explanations");
        var list = (JsonArray)node!;
        var limiter = new ElementLimiter(sink, MdaiOutputRuleIds.ExplanationsInvalid, at, "explanations list");
        for (var i = 0; i < list.Count; i++)
        {
            var itemAt = OutputLocation.Index(at, i);
            if (PythonValues.TypeOf(list[i]) != PythonType.Dict)
            {
                limiter.Add(itemAt, $"explanations[{i}] is {FindingCollector.Describe(list[i])}; each explanation must be {{\"name\": str, \"description\": str, \"content\": bytes, \"content_type\": str}}.");
                continue;
            }

            var item = (JsonObject)list[i]!;
            foreach (var key in new[] { "name", "description", "content_type" })
            {
                if (!item.TryGetPropertyValue(key, out var value) || PythonValues.TypeOf(value) != PythonType.Str)
                {
                    limiter.Add(OutputLocation.Key(itemAt, key), $"explanations[{i}] needs '{key}', a str, but it {(item.ContainsKey(key) ? "is " + FindingCollector.Describe(value) : "is missing")}.");
                }
            }

            // Bytes in Python; a JSON file can only hold them as a str, so a str is taken as bytes written out.
            if (!item.TryGetPropertyValue("content", out var content) || PythonValues.TypeOf(content) is not (PythonType.Bytes or PythonType.Str))
            {
                limiter.Add(OutputLocation.Key(itemAt, "content"), $"explanations[{i}] needs 'content', the bytes of the image (for example a PNG), but it {(item.ContainsKey("content") ? "is " + FindingCollector.Describe(content) : "is missing")}.");
            }
        }

        limiter.Finish();
    }

    private static void CheckRange(JsonNode? value, string at, string name, FindingCollector sink, ElementLimiter? limiter)
    {
        if (!PythonValues.TryGetDouble(value, out var p) || (p >= 0 && p <= 1))
        {
            return;
        }

        var message = $"{name} is {PythonRepr.Str(value)}; a probability must be between 0 and 1.";
        if (limiter is null)
        {
            sink.Warning(MdaiOutputRuleIds.ProbabilityInvalid, at, message);
        }
        else
        {
            limiter.Add(at, message);
        }
    }

    /// <summary>Keeps one container's element findings to <see cref="MaxElementFindings"/>, and counts the rest.</summary>
    private sealed class ElementLimiter
    {
        private readonly FindingCollector _sink;
        private readonly string _ruleId;
        private readonly string _at;
        private readonly string _what;
        private int _count;

        public ElementLimiter(FindingCollector sink, string ruleId, string at, string what)
        {
            _sink = sink;
            _ruleId = ruleId;
            _at = at;
            _what = what;
        }

        public void Add(string at, string message)
        {
            if (_count++ < MaxElementFindings)
            {
                _sink.Warning(_ruleId, at, message);
            }
        }

        public void Finish()
        {
            if (_count > MaxElementFindings)
            {
                _sink.Warning(_ruleId, _at, $"…and {_count - MaxElementFindings} more problems like these in this {_what} (the first {MaxElementFindings} are listed).");
            }
        }
    }
}
