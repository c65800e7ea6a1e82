using System.Linq;
using System.Text;
using MdaiClara.Engine.Bundles;
using Xunit;

namespace MdaiClara.Engine.Tests.Bundles;

/// <summary>Each expression form the allow-list reads, and each refusal with its position.</summary>
public class ExpressionAllowListTests
{
    private const string Prelude = "\"imports\": [\"$import glob\", \"$import os\", \"$from monai.handlers import from_engine\", \"$from monai.utils import CommonKeys as Keys\"], \"bundle_root\": \"/b\", \"n\": 3, \"flag\": false, ";

    private static (object? Value, ConfigProblem? Problem) Eval(string expression)
    {
        var json = "{" + Prelude + "\"x\": " + System.Text.Json.JsonSerializer.Serialize(expression) + "}";
        var root = BundleJsonReader.Read("configs/inference.json", Encoding.UTF8.GetBytes(json)).Root!;
        return new ConfigResolver(root, _ => null).TryResolve("x");
    }

    private static object? Value(string expression)
    {
        var (value, problem) = Eval(expression);
        Assert.Null(problem);
        return value;
    }

    [Theory]
    [InlineData("$@bundle_root + '/models'", "/b/models")]
    [InlineData("$os.path.join(@bundle_root, 'configs', 'x.json')", "/b/configs/x.json")]
    [InlineData("$os.path.join(@bundle_root, '/abs')", "/abs")]
    [InlineData("$monai.utils.CommonKeys.PRED", "pred")]
    [InlineData("$Keys.IMAGE", "image")]
    [InlineData("$'a' 'b'", "ab")]
    [InlineData("$str(@n)", "3")]
    public void StringForms(string expression, string expected) => Assert.Equal(expected, Value(expression));

    [Theory]
    [InlineData("$@n * 2 + 1", 7L)]
    [InlineData("$-@n", -3L)]
    [InlineData("$@n / 2", 1.5)]
    [InlineData("$int(2.7)", 2L)]
    [InlineData("$not @flag", true)]
    [InlineData("$[1, 2, 3][-1]", 3L)]
    [InlineData("$1 if @flag else 2", 2L)]
    public void ArithmeticAndLogic(string expression, object expected) => Assert.Equal(expected, Value(expression));

    [Theory]
    [InlineData("$numpy.float32", "float32")]
    [InlineData("$np.uint8", "uint8")]
    [InlineData("$torch.float", "float32")]
    [InlineData("$torch.long", "int64")]
    public void DTypes(string expression, string name) => Assert.Equal(name, Assert.IsType<DTypeValue>(Value(expression)).Name);

    [Fact]
    public void DeviceChoice()
    {
        var d = Assert.IsType<DeviceValue>(Value("$torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')"));
        Assert.Equal("cuda:0", d.CudaChoice);
        Assert.Equal("cpu", d.CpuChoice);
        Assert.Equal("cpu", Assert.IsType<DeviceValue>(Value("$torch.device('cpu')")).CpuChoice);
    }

    [Fact]
    public void FromEngine()
    {
        var t = Assert.IsType<OutputTransformValue>(Value("$monai.handlers.from_engine(['pred', 'label'], first=True)"));
        Assert.Equal(new[] { "pred", "label" }, t.Keys);
        Assert.True(t.First);
        Assert.Equal(new[] { "pred" }, Assert.IsType<OutputTransformValue>(Value("$from_engine([Keys.PRED])")).Keys);
    }

    [Theory]
    [InlineData("$list(sorted(glob.glob(@bundle_root + '/imagesTs/*.nii.gz')))", "/b/imagesTs/*.nii.gz")]
    [InlineData("$sorted(glob.glob(os.path.join(@bundle_root, '*.png')))", "/b/*.png")]
    public void GlobDatalists(string expression, string pattern) => Assert.Equal(pattern, Assert.IsType<DatalistValue>(Value(expression)).Pattern);

    [Fact]
    public void ImportStatementsAreReadNotRun() => Assert.Null(Value("$import numpy as np"));

    [Theory]
    [InlineData("$lambda x: x + 1", "lambda", 2)]
    [InlineData("$[{'image': i} for i in @datalist]", "comprehension", 16)]
    [InlineData("$scripts.utils.load(@bundle_root)", "scripts", 2)]
    [InlineData("$@network_def.to(@device)", "method", 2)]
    [InlineData("$eval('1')", "built-in 'eval'", 2)]
    [InlineData("$open(@bundle_root + '/x.json')", "built-in 'open'", 2)]
    [InlineData("$json.load(f)", "json", 2)]
    [InlineData("$setattr(torch.backends.cudnn, 'benchmark', True)", "built-in 'setattr'", 2)]
    [InlineData("$torch.cuda.is_available()", "torch.cuda.is_available", 2)]
    [InlineData("$f'{@bundle_root}/x'", "f-string", 2)]
    public void RefusalsNameTheExpressionAndWhereTheRefusedPartStarts(string expression, string reasonPart, int character)
    {
        var (_, problem) = Eval(expression);
        Assert.NotNull(problem);
        Assert.Equal(ConfigProblemKind.ExpressionRefused, problem!.Kind);
        Assert.Contains(expression, problem.Message);
        Assert.Contains(reasonPart, problem.Message);
        Assert.Equal(1, problem.Position.Line);
        Assert.True(problem.Position.Column > 1);
        Assert.Contains($"at character {character} of the string", problem.Message);
    }

    [Fact]
    public void NamesNotImportedAreRefusedAsMonaiWouldFail()
    {
        var root = BundleJsonReader.Read("configs/inference.json", Encoding.UTF8.GetBytes("{\"x\": \"$glob.glob('*.nii')\"}")).Root!;
        var problem = new ConfigResolver(root, _ => null).TryResolve("x").Problem!;
        Assert.Contains("'glob' is not defined", problem.Message);
    }
}
