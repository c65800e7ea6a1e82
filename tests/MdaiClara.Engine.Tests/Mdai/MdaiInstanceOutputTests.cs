using System.IO;
using System.Text;
using System.Text.Json;
using MdaiClara.Engine.Mdai;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai;

/// <summary>The compact segmentation output: what it writes is what its JSON tree says, byte for byte.</summary>
public class MdaiInstanceOutputTests
{
    public static TheoryData<MdaiInstanceOutput> Outputs => new()
    {
        new MdaiInstanceOutput("1.2", "1.2.3", "1.2.3.4", null, 2, 2, 3, [0, 1, 1, 1, 0, 0]),
        new MdaiInstanceOutput("1.2", "1.2.3", "1.2.3.5", 7, 0, 1, 2, [1, 0]),
        new MdaiInstanceOutput("1.2", "1.2.3", "1.2.3.6", null, null, 2, 2, null),
    };

    [Theory]
    [MemberData(nameof(Outputs))]
    public void WritingGivesTheSameBytesAsItsJsonTree(MdaiInstanceOutput output)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            output.WriteTo(writer);
        }

        Assert.Equal(output.ToJson().ToJsonString(), Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void AnAnnotationHasItsMaskAsRowsOfZerosAndOnes()
    {
        var output = new MdaiInstanceOutput("1.2", "1.2.3", "1.2.3.4", null, 2, 2, 3, [0, 1, 1, 1, 0, 0]);

        Assert.Equal("""{"type":"ANNOTATION","study_uid":"1.2","series_uid":"1.2.3","instance_uid":"1.2.3.4","class_index":2,"data":{"mask":[[0,1,1],[1,0,0]]}}""", output.ToJson().ToJsonString());
        Assert.Equal(new[] { new[] { 0, 1, 1 }, new[] { 1, 0, 0 } }, output.MaskRows());
        Assert.Equal("NONE", (output with { ClassIndex = null, Mask = null }).Type);
    }
}
