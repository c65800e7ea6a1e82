using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Tests.Inference;
using MdaiClara.Engine.Tests.TestSupport;
using MdaiClara.Fuzz;
using Xunit;

namespace MdaiClara.Engine.Tests.Fuzz;

/// <summary>
/// Replays the committed AFL++ corpora (tests/fixtures/fuzz/&lt;target&gt;/, minimised by tests/Fuzz/Invoke-Fuzz.ps1) and
/// the crash reproducers kept beside them through the very harness entry point the campaigns ran,
/// <see cref="FuzzHarness.Run"/>: every file must end in success or a MdaiClaraException with an error id and a
/// message, within the time bound; any other exception or a run past the bound fails the test.
/// Torch collection: the Picture target reaches libtorch.
/// </summary>
[Collection(TorchCollection.Name)]
public class FuzzCorpusReplayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static IEnumerable<object[]> Targets() => Enum.GetValues<FuzzTarget>().Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryCorpusFileIsASuccessOrAMdaiClaraError(FuzzTarget target)
    {
        var folder = Path.Combine(TestPaths.Fixtures, "fuzz", target.ToString());
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToList() : new List<string>();
        Assert.True(files.Count > 0, $"{folder} holds no corpus: run tests/Fuzz/Invoke-Fuzz.ps1 -Target {target} -UpdateCorpus.");

        using var scratch = new TempDirectory();
        var failures = new List<string>();
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var (outcome, detail, failure) = Replay(target, File.ReadAllBytes(file), scratch.Path);
            outcomes.TryAdd(outcome, $"{Path.GetFileName(file)}: {detail}");
            if (failure is not null)
            {
                failures.Add($"{Path.GetFileName(file)}: {failure}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {files.Count} {target} corpus files broke the contract:\n" + string.Join("\n", failures));

        // The corpus must hold inputs the parser reads through, or it only replays the first check's refusals.
        Assert.True(outcomes.ContainsKey("ok"), $"No {target} corpus file was read successfully:\n{string.Join("\n", outcomes.Values)}");
    }

    [Fact]
    public void TheReplayFailsOnAnExceptionThatIsNotAMdaiClaraError()
    {
        // The check above must be able to fail: a bare .NET exception from inside the harness is reported as one.
        var (_, _, failure) = Replay(FuzzTarget.Rle, FuzzInput.PackRle(new byte[64], 2, 2, 1, 8), Path.GetTempPath(), _ => throw new InvalidOperationException("boom"));
        Assert.NotNull(failure);
        Assert.Contains("InvalidOperationException", failure, StringComparison.Ordinal);
    }

    /// <summary>Runs one input on its own thread: (the outcome: "ok" or the error id, its message, a failure or null).</summary>
    private static (string Outcome, string? Detail, string? Failure) Replay(FuzzTarget target, byte[] input, string scratch, Action<byte[]>? run = null)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                (run ?? (bytes => FuzzHarness.Run(target, bytes, scratch)))(input);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        }, maxStackSize: 16 * 1024 * 1024) { IsBackground = true };
        thread.Start();
        if (!thread.Join(Bound))
        {
            return ("hang", null, $"still running after {Bound.TotalSeconds} s");
        }

        return error switch
        {
            null => ("ok", null, null),
            MdaiClaraException ex when string.IsNullOrWhiteSpace(ex.ErrorId) || string.IsNullOrWhiteSpace(ex.Message) => (ex.ErrorId, ex.Message, "a MdaiClara error without an id or message"),
            MdaiClaraException ex => (ex.ErrorId, ex.Message, null),
            _ => (error.GetType().Name, error.Message, $"{error.GetType().FullName}: {error.Message}\n{error.StackTrace}"),
        };
    }
}
