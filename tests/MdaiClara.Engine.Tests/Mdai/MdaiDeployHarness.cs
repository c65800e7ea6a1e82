using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>
/// Runs tests/mdai/run_mdai_deploy.py once, every case, with the reference Python (Debian's python3 with numpy,
/// pydicom and nibabel) and keeps its JSON report for the tests to assert on. The harness runs the MD.ai interface
/// code for real against a stand-in infer.sh; see its docstring.
/// </summary>
public sealed class MdaiDeployHarness
{
    /// <summary>Runs the harness file as __main__ with the arguments that follow it.</summary>
    internal const string RunHarness = """
        import runpy, sys
        sys.argv = sys.argv[1:]
        runpy.run_path(sys.argv[0], run_name="__main__")
        """;

    public MdaiDeployHarness()
    {
        var harness = Path.Combine(TestPaths.RepoRoot, "tests", "mdai", "run_mdai_deploy.py");
        Output = PythonPeer.Run(RunHarness, TimeSpan.FromMinutes(5), harness);
        Report = JsonDocument.Parse(Output).RootElement;
    }

    /// <summary>The whole report, as the harness printed it.</summary>
    public string Output { get; }

    public JsonElement Report { get; }

    public IEnumerable<JsonElement> Cases => Report.GetProperty("cases").EnumerateArray();

    /// <summary>One case's report; a case the harness no longer has fails the test that names it.</summary>
    public JsonElement Case(string name) =>
        Cases.FirstOrDefault(c => c.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new InvalidOperationException($"The harness report has no case '{name}'.");

    /// <summary>The case's problems, one per line, for assertion messages.</summary>
    public static string Problems(JsonElement report) =>
        report.GetProperty("name").GetString() + ": " +
        string.Join(Environment.NewLine, report.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));

    public static IReadOnlyList<string> Log(JsonElement report) =>
        report.GetProperty("log").EnumerateArray().Select(l => l.GetString() ?? string.Empty).ToList();

    public static IReadOnlyList<int> Ints(JsonElement report, string property) =>
        report.GetProperty(property).EnumerateArray().Select(v => v.GetInt32()).ToList();
}
