using System.Collections.Generic;
using MdaiClara.Engine.Mmar.Repair;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar.Repair;

/// <summary>Clara 4.0 lambdas and their Clara 4.1 forms, as NVIDIA's 4.0 and 4.1 GettingStarted configs write them.</summary>
public class LambdaMigrationsTests
{
    [Theory]
    [InlineData("lambda x: x['image_meta_dict']", "#monai.handlers.from_engine(['image_meta_dict'])")]
    [InlineData("lambda x: (x['pred'], x['label'])", "#monai.handlers.from_engine(['pred', 'label'])")]
    [InlineData("lambda x: x['loss']", "#monai.handlers.from_engine(['loss'], first=True)")]
    [InlineData("lambda batch: batch[\"pred\"]", "#monai.handlers.from_engine(['pred'])")]
    [InlineData("  lambda x: ( x['a'] , x['b'] , x['c'] ) ", "#monai.handlers.from_engine(['a', 'b', 'c'])")]
    public void KnownFormsBecomeFromEngine(string lambda, string expected)
    {
        var (outcome, replacement) = LambdaMigrations.Migrate(lambda);

        Assert.Equal(LambdaMigrationOutcome.Migrated, outcome);
        Assert.Equal(expected, replacement);
    }

    [Fact]
    public void LambdaReturningNoneMeansTheSameOnMonai081()
    {
        Assert.Equal((LambdaMigrationOutcome.Unchanged, null), LambdaMigrations.Migrate("lambda x: None"));
    }

    [Fact]
    public void KeysTheMigrationRenamesAreRenamedInside()
    {
        var renamed = new Dictionary<string, string> { ["pred_inverted"] = "pred" };

        var (_, replacement) = LambdaMigrations.Migrate("lambda x: (x['pred_inverted'], x['label'])", renamed);

        Assert.Equal("#monai.handlers.from_engine(['pred', 'label'])", replacement);
    }

    [Theory]
    [InlineData("lambda x: __import__('monai').transforms.AsDiscrete(threshold_values=True)(x['pred_inverted'][0][None].detach().cpu())")]
    [InlineData("lambda engine: print(engine.state.iteration)")]
    [InlineData("lambda x: x['pred'][0]")]
    [InlineData("lambda x: y['pred']")]
    [InlineData("lambda x: x['pred'], x['label']")]
    [InlineData("lambda x: ()")]
    public void AnyOtherFormIsUnknownNotGuessed(string lambda)
    {
        Assert.Equal((LambdaMigrationOutcome.Unknown, null), LambdaMigrations.Migrate(lambda));
    }
}
