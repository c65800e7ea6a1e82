using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>The MD.ai interface code travels inside the engine assembly, byte for byte as in src/Engine/Mdai/Templates.</summary>
public sealed class MdaiTemplateResourcesTests
{
    private static readonly string TemplateFolder = Path.Combine(TestPaths.RepoRoot, "src", "Engine", "Mdai", "Templates");

    [Theory]
    [InlineData("mdai_deploy_segmentation.py")]
    [InlineData("mdai_deploy_classification.py")]
    [InlineData("mdai_clara_settings.py")]
    [InlineData("mdai_clara_workspace.py")]
    [InlineData("mdai_clara_dicom.py")]
    [InlineData("mdai_clara_eval.py")]
    [InlineData("requirements.txt")]
    public void EachTemplateIsAnEmbeddedResourceEqualToItsFile(string fileName)
    {
        using var stream = typeof(MdaiClaraException).Assembly.GetManifestResourceStream("MdaiClara.Templates." + fileName);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TemplateFolder, fileName)), copy.ToArray());
    }

    [Fact]
    public void EveryTemplateFileIsEmbedded()
    {
        var embedded = typeof(MdaiClaraException).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("MdaiClara.Templates.", System.StringComparison.Ordinal))
            .Select(n => n["MdaiClara.Templates.".Length..])
            .OrderBy(n => n, System.StringComparer.Ordinal);
        var files = Directory.GetFiles(TemplateFolder).Select(Path.GetFileName).OrderBy(n => n, System.StringComparer.Ordinal);
        Assert.Equal(files, embedded);
    }
}
