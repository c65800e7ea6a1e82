using System.Collections.Generic;
using System.Text;
using MdaiClara.Engine.Bundles;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>ConfigMerger merges config files as MONAI's ConfigParser.read_config does for a list of files.</summary>
public class ConfigMergerTests
{
    private static ConfigFile Json(string path, string text) => BundleJsonReader.Read(path, Encoding.UTF8.GetBytes(text));

    private static (ConfigNode Root, List<BundleEvaluationProblem> Problems) Merge(params ConfigFile[] files)
    {
        var problems = new List<BundleEvaluationProblem>();
        return (ConfigMerger.Merge(files, problems), problems);
    }

    [Fact]
    public void LaterFilesReplaceTopLevelKeysWholeAndHashKeysSetNestedIds()
    {
        var train = Json("configs/train.json", "{\"a\": 1, \"validate\": {\"dataset\": {\"cache_rate\": 1.0, \"n\": 2}, \"post\": {\"x\": 1, \"y\": 2}, \"list\": [10, 20]}}");
        var evaluate = Json("configs/evaluate.json", "{\n\"validate#dataset#cache_rate\": 0,\n\"validate#post\": {\"z\": 3},\n\"validate::list::1\": 21,\n\"a\": \"new\"\n}");
        var (root, problems) = Merge(train, evaluate);

        Assert.Empty(problems);
        Assert.Equal("new", ConfigResolver.Find(root, "a")!.Scalar);
        Assert.Equal(0L, ConfigResolver.Find(root, "validate::dataset::cache_rate")!.Scalar);
        Assert.Equal(2L, ConfigResolver.Find(root, "validate::dataset::n")!.Scalar); // siblings stay
        Assert.Null(ConfigResolver.Find(root, "validate::post::x")); // replaced whole, not deep-merged
        Assert.Equal(3L, ConfigResolver.Find(root, "validate::post::z")!.Scalar);
        Assert.Equal(21L, ConfigResolver.Find(root, "validate::list::1")!.Scalar);
        Assert.Equal(10L, ConfigResolver.Find(root, "validate::list::0")!.Scalar);

        // Every node keeps the file and position it came from.
        Assert.Equal(new ConfigPosition("configs/evaluate.json", 2, 32), ConfigResolver.Find(root, "validate::dataset::cache_rate")!.Position);
        Assert.Equal("configs/train.json", ConfigResolver.Find(root, "validate::dataset::n")!.Position.File);
        Assert.Equal("configs/evaluate.json", ConfigResolver.Find(root, "validate::post")!.Position.File);
    }

    [Fact]
    public void AHashKeyUnderAnItemThatDoesNotExistIsAProblemAtItsPosition()
    {
        var train = Json("configs/train.json", "{\"validate\": {\"list\": [1]}}");
        var evaluate = Json("configs/evaluate.json", "{\n  \"validate#dataset#cache_rate\": 0,\n  \"validate#list#3\": 5,\n  \"ok\": 1\n}");
        var (root, problems) = Merge(train, evaluate);

        Assert.Equal(2, problems.Count);
        Assert.Equal(new ConfigPosition("configs/evaluate.json", 2, 34), problems[0].Position);
        Assert.Contains("'validate::dataset'", problems[0].Message);
        Assert.Contains("list of 1", problems[1].Message);
        Assert.Equal(1L, ConfigResolver.Find(root, "ok")!.Scalar); // the rest is merged
    }

    [Fact]
    public void AFileThatIsNotAnObjectIsAProblem()
    {
        var (_, problems) = Merge(Json("configs/train.json", "{}"), Json("configs/evaluate.json", "[1, 2]"));
        Assert.Single(problems);
        Assert.Contains("not an object", problems[0].Message);
    }
}
