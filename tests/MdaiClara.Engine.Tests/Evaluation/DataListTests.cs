using System.IO;
using System.Linq;
using System.Text;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Evaluation;
using MdaiClara.Engine.Mmar;
using MdaiClara.Engine.Models;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Evaluation;

/// <summary>Datalists as validate.sh reads them: items under a key, paths under the data root, missing files named per item.</summary>
public class DataListTests
{
    [Fact]
    public void TheSamplesValidationItemsAreFoundUnderTheDataRootAndMissingOnesAreNamed()
    {
        using var temp = new TempDirectory();
        var root = EvaluationFixtures.DataRoot(temp, "phantom_020", "phantom_022");
        File.Delete(Path.Combine(root, "labelsTr", "phantom_022.nii.gz"));
        var analysis = MmarAnalyzer.Open(TestPaths.SampleMmar);
        using var source = analysis.Source;

        var set = ValidationDataList.Read(RunnableModels.FromMmar(analysis), root);

        var only = Assert.Single(set.Cases);
        Assert.Equal("phantom_020", only.Name);
        Assert.Equal(Path.Combine(root, "labelsTr", "phantom_020.nii.gz"), only.Label!.Files[0]);
        Assert.Equal(3, set.Problems.Count);
        Assert.All(set.Problems, p => Assert.Equal(ErrorIds.GroundTruthItemMissing, p.ErrorId));
        Assert.Contains(set.Problems, p => p.Message.Contains("validation[1] (phantom_021)") && p.Message.Contains("image"));
        Assert.Contains(set.Problems, p => p.Message.Contains("validation[2] (phantom_022)") && p.Message.Contains("label") && p.Message.Contains("phantom_022.nii.gz does not exist"));
        Assert.Contains("'validation' of config/dataset_0.json", set.Description);
    }

    [Fact]
    public void AMissingDataRootIsOneClearError()
    {
        var analysis = MmarAnalyzer.Open(TestPaths.SampleMmar);
        using var source = analysis.Source;

        var ex = Assert.Throws<MdaiClaraException>(() => ValidationDataList.Read(RunnableModels.FromMmar(analysis), "/nonexistent/data-root"));

        Assert.Equal(ErrorIds.DataListInvalid, ex.ErrorId);
        Assert.Contains("/nonexistent/data-root", ex.Message);
    }

    [Fact]
    public void AKeyTheDatalistLacksNamesTheListsItHas()
    {
        var json = Encoding.UTF8.GetBytes("{\"training\": [], \"validation\": [], \"name\": \"x\"}");

        var ex = Assert.Throws<MdaiClaraException>(() => DataList.Read(json, "list.json", "test", "/tmp", null));

        Assert.Equal(ErrorIds.DataListInvalid, ex.ErrorId);
        Assert.Contains("'training', 'validation'", ex.Message);
    }

    [Fact]
    public void BrokenJsonIsADataListError()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => DataList.Read(Encoding.UTF8.GetBytes("{\"validation\": [ {"), "list.json", "validation", "/tmp", null));
        Assert.Equal(ErrorIds.DataListInvalid, ex.ErrorId);
        Assert.Contains("list.json", ex.Message);
    }

    [Fact]
    public void AClassifiersLabelsAreClassIndicesOrOneHotLists()
    {
        using var temp = new TempDirectory();
        temp.Write("a.png", "x");
        temp.Write("b.png", "x");
        temp.Write("c.png", "x");
        var json = Encoding.UTF8.GetBytes("{\"validation\": [{\"image\": \"a.png\", \"label\": 2}, {\"image\": \"b.png\", \"label\": [1, 0, 1]}, {\"image\": \"c.png\", \"label\": [0.5]}]}");

        var set = DataList.Read(json, "list.json", "validation", temp.Path, 3);

        Assert.Equal(new[] { 0, 0, 1 }, set.Cases[0].ClassTruth);
        Assert.Equal(new[] { 1, 0, 1 }, set.Cases[1].ClassTruth);
        var problem = Assert.Single(set.Problems);
        Assert.Contains("validation[2] (c)", problem.Message);
    }

    [Fact]
    public void ImagesAndLabelsPairByStemWithConventionalSuffixesAndUnpairedOnesAreNamed()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("images"));
        Directory.CreateDirectory(temp.Combine("labels"));
        File.Copy(EvaluationFixtures.PhantomImage, temp.Combine("images", "case1_ct.nii.gz"));
        File.Copy(EvaluationFixtures.PhantomImage, temp.Combine("images", "case2.nii.gz"));
        File.Copy(EvaluationFixtures.PhantomImage, temp.Combine("images", "case3.nii.gz"));
        File.Copy(EvaluationFixtures.PhantomTruth, temp.Combine("labels", "case1_seg.nii.gz"));
        File.Copy(EvaluationFixtures.PhantomTruth, temp.Combine("labels", "case2.nii.gz"));
        File.Copy(EvaluationFixtures.PhantomTruth, temp.Combine("labels", "case4_truth.nii.gz"));

        var set = GroundTruthPairing.Pair(new[] { temp.Combine("images") }, new[] { temp.Combine("labels") }, default, null);

        Assert.Equal(new[] { ("case1_ct", "case1_seg"), ("case2", "case2") }, set.Cases.Select(c => (c.Name, c.Label!.Name)).OrderBy(p => p.Item1));
        Assert.Equal(2, set.Problems.Count);
        Assert.All(set.Problems, p => Assert.Equal(ErrorIds.GroundTruthUnpaired, p.ErrorId));
        Assert.Contains(set.Problems, p => p.Message.Contains("case3.nii.gz") && p.Message.Contains("has no label"));
        Assert.Contains(set.Problems, p => p.Message.Contains("case4_truth.nii.gz") && p.Message.Contains("has no image"));
    }

    [Fact]
    public void OneImageAndOneLabelAlwaysPair()
    {
        var set = GroundTruthPairing.Pair(new[] { EvaluationFixtures.PhantomImage }, new[] { EvaluationFixtures.PhantomTruth }, default, null);

        var only = Assert.Single(set.Cases);
        Assert.Equal("phantom_ct", only.Name);
        Assert.Empty(set.Problems);
    }
}
