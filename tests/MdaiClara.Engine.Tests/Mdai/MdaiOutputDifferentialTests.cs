using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Mdai;
using MdaiClara.Engine.Validation;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>
/// Compares with MD.ai's own validator: tests/fixtures/mdai-output/validator_cases.json holds outputs and the text
/// MD.ai's OutputValidator raised for each (or null when it accepted them), made by make_validator_cases.py from
/// mdai/model-deploy's validation.py. The first Error finding must carry exactly that text, and there must be no
/// Error finding when MD.ai accepts.
/// </summary>
public sealed class MdaiOutputDifferentialTests
{
    private static readonly Lazy<IReadOnlyList<(string Name, JsonNode? Outputs, string? Mdai)>> Cases = new(Load);

    public static IEnumerable<object[]> NamedCases() =>
        Cases.Value.Where(c => !c.Name.StartsWith("random ", StringComparison.Ordinal)).Select(c => new object[] { c.Name });

    [Fact]
    public void TheFixtureHasMdaisTestsHandMadeAndRandomCases()
    {
        Assert.True(Cases.Value.Count > 1000);
        Assert.Contains(Cases.Value, c => c.Name.StartsWith("test_invaid_types", StringComparison.Ordinal));
        Assert.Contains(Cases.Value, c => c.Mdai is null);
        Assert.Contains(Cases.Value, c => c.Mdai is not null);
    }

    [Theory]
    [MemberData(nameof(NamedCases))]
    public void FirstErrorIsWhatMdaiReports(string name)
    {
        var c = Cases.Value.Single(x => x.Name == name);
        AssertSameVerdict(c.Outputs, c.Mdai, name);
    }

    [Fact]
    public void RandomCasesGetMdaisVerdictAndMessage()
    {
        var mismatches = new List<string>();
        foreach (var c in Cases.Value.Where(x => x.Name.StartsWith("random ", StringComparison.Ordinal)))
        {
            var first = MdaiOutputValidator.FirstRejection(MdaiOutputValidator.Validate(c.Outputs));
            if (first?.MdaiMessage != c.Mdai)
            {
                mismatches.Add($"{c.Name}: MD.ai '{c.Mdai}', ours '{first?.MdaiMessage}'");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(20)));
    }

    [Fact]
    public void StrictModeAddsOnlyWarnings()
    {
        foreach (var c in Cases.Value)
        {
            var plain = MdaiOutputValidator.Validate(c.Outputs);
            var strict = MdaiOutputValidator.Validate(c.Outputs, strict: true);
            Assert.Equal(
                plain.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.ToString()),
                strict.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.ToString()));
        }
    }

    private static void AssertSameVerdict(JsonNode? outputs, string? mdai, string name)
    {
        var findings = MdaiOutputValidator.Validate(outputs);
        var first = MdaiOutputValidator.FirstRejection(findings);
        Assert.True(mdai == first?.MdaiMessage, $"{name}: MD.ai said '{mdai}', the first Error finding says '{first?.MdaiMessage}'");
        Assert.Equal(mdai is null, MdaiOutputValidator.Passes(findings));
    }

    private static IReadOnlyList<(string, JsonNode?, string?)> Load()
    {
        // One case a line, each parsed on its own: most take the lazy System.Text.Json path, the ones with NaN or
        // Infinity the Python-faithful reader, so both are compared with MD.ai.
        var path = Path.Combine(TestPaths.Fixtures, "mdai-output", "validator_cases.json");
        return File.ReadLines(path)
            .Where(line => line.StartsWith('{'))
            .Select(line => MdaiOutputJson.Parse(line.TrimEnd(',')))
            .Select(n => ((string)n!["name"]!, n["outputs"], (string?)n["mdai"]))
            .ToList();
    }
}
