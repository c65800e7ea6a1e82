using System;
using System.Collections.Generic;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Metrics;
using MdaiClara.Engine.Publishing;
using Xunit;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>The publish quality gate's judgement of a measurement.</summary>
public class QualityGateTests
{
    private static ValidationSummary Summary(int cases, params (string Name, double Dice)[] classes)
    {
        var map = new Dictionary<string, ClassSummary>(StringComparer.OrdinalIgnoreCase);
        var label = 1;
        foreach (var (name, dice) in classes)
        {
            map[name] = new ClassSummary { Label = label++, Name = name, Cases = cases, Dice = new ConfidenceInterval(dice, dice - 0.01, dice + 0.01, cases) };
        }

        return new ValidationSummary { Model = "m", Task = "segmentation", Device = "cpu", Semantics = "MONAI 0.8.1", GroundTruth = "truth", Cases = cases, Failed = 0, Classes = map };
    }

    private static QualityGate Gate(double? overall, params (string, double)[] perClass)
    {
        var map = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, min) in perClass)
        {
            map[name] = min;
        }

        return new QualityGate(GroundTruthSpec.Validation()) { MinimumDice = new QualityThreshold(overall, map) };
    }

    [Fact]
    public void AboveEveryMinimumPassesAndSaysWhatItMeasured()
    {
        var check = Gate(0.8, ("Organ", 0.9)).Judge(Summary(3, ("organ", 0.95), ("lesion", 0.81)));

        Assert.Equal(QualityGate.CheckName, check.Name);
        Assert.Equal(PublishCheckStatus.Passed, check.Status);
        Assert.Contains("mean Dice 0.88 (minimum 0.8)", check.Detail);
        Assert.Contains("organ Dice 0.95 (minimum 0.9)", check.Detail);
        Assert.Contains("3 case(s)", check.Detail);
    }

    [Fact]
    public void OneClassBelowItsMinimumFails()
    {
        var check = Gate(null, ("lesion", 0.85)).Judge(Summary(3, ("organ", 0.95), ("lesion", 0.81)));

        Assert.Equal(PublishCheckStatus.Failed, check.Status);
        Assert.Contains("lesion Dice 0.81 < 0.85", check.Detail);
    }

    [Fact]
    public void AnUnknownClassOrNoMeasuredCaseFails()
    {
        Assert.Contains("no class 'spleen'", Gate(null, ("spleen", 0.5)).Judge(Summary(1, ("organ", 0.95))).Detail);
        Assert.Equal(PublishCheckStatus.Failed, Gate(0.1).Judge(Summary(0, ("organ", double.NaN))).Status);
        // NaN is never above a minimum.
        Assert.Equal(PublishCheckStatus.Failed, Gate(0.1).Judge(Summary(2, ("organ", double.NaN))).Status);
    }

    [Fact]
    public void AClassifiersAucIsJudgedOverallAndPerClass()
    {
        ClassSummary Class(int index, string name, double auc) => new()
        {
            Label = index,
            Name = name,
            Cases = 10,
            Classification = new ClassClassificationMetrics(index, name, auc, 0.8, 0.7, 0.6, 4, 2, 3, 1, null),
        };
        var summary = new ValidationSummary
        {
            Model = "m", Task = "classification", Device = "cpu", Semantics = "MONAI 0.8.1", GroundTruth = "truth", Cases = 10, Failed = 0,
            Classes = new Dictionary<string, ClassSummary>(StringComparer.OrdinalIgnoreCase) { ["nodule"] = Class(0, "nodule", 0.9), ["effusion"] = Class(1, "effusion", 0.7) },
        };
        QualityGate Gate(double? overall, Dictionary<string, double> perClass) => new(GroundTruthSpec.Validation()) { MinimumAuc = new QualityThreshold(overall, perClass) };

        Assert.Equal(PublishCheckStatus.Passed, Gate(0.75, new()).Judge(summary).Status);
        var failed = Gate(null, new() { ["Effusion"] = 0.75 }).Judge(summary);
        Assert.Equal(PublishCheckStatus.Failed, failed.Status);
        Assert.Contains("effusion AUC 0.7 < 0.75", failed.Detail);
    }
}
