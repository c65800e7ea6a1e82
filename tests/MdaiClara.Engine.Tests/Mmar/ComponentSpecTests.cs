using MdaiClara.Engine.Configs;
using MdaiClara.Engine.Mmar;
using Xunit;

namespace MdaiClara.Engine.Tests.Mmar;

public class ComponentSpecTests
{
    [Theory]
    [InlineData("ScaleIntensityRangeD", "ScaleIntensityRanged")]
    [InlineData("ToTensorD", "ToTensord")]
    [InlineData("ActivationsDict", "Activationsd")]
    [InlineData("monai.transforms.LoadImaged", "LoadImaged")]
    [InlineData("monai.inferers.SlidingWindowInferer", "SlidingWindowInferer")]
    [InlineData("Spacingd", "Spacingd")]
    [InlineData("LoadNifti", "LoadNifti")]
    [InlineData("custom.transforms.MyThing", "custom.transforms.MyThing")]
    public void CanonicalizesMonaiAliases(string name, string expected)
    {
        Assert.Equal(expected, ComponentSpec.Canonicalize(name));
    }
}
