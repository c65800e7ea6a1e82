using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Diagnostics;
using MdaiClara.Engine.Validation;

namespace MdaiClara.Cmdlets;

/// <summary>
/// Test-Mmar -PassThru's verdict for one MMAR: which MMAR it is for, whether it passes, and its findings, so a
/// pipeline of many MMARs says which verdict belongs to which.
/// </summary>
public sealed class MmarVerdict
{
    public MmarVerdict(string mmar, bool passed, IReadOnlyList<MmarFinding> findings)
    {
        Mmar = mmar;
        Name = System.IO.Path.GetFileName(mmar.TrimEnd('/', '\\'));
        Passed = passed;
        Findings = findings;
        Errors = findings.Count(f => f.Severity == FindingSeverity.Error);
        Warnings = findings.Count(f => f.Severity == FindingSeverity.Warning);
    }

    /// <summary>The MMAR's folder or .zip, as tested.</summary>
    public string Mmar { get; }

    /// <summary>Its folder or file name.</summary>
    public string Name { get; }

    /// <summary>What Test-Mmar returns without -PassThru.</summary>
    public bool Passed { get; }

    public int Errors { get; }

    public int Warnings { get; }

    /// <summary>Every finding, as -Detailed emits them.</summary>
    public IReadOnlyList<MmarFinding> Findings { get; }

    public override string ToString() => $"{Name}: {(Passed ? "passes" : "fails")} ({Errors} errors, {Warnings} warnings)";
}
