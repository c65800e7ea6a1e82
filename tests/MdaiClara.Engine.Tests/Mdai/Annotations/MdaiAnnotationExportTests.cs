using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Mdai.Annotations;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Mdai.Annotations;

public sealed class MdaiAnnotationExportTests
{
    public static string SmallExport => Path.Combine(RasterisationCases.Folder, "export_small.json");

    [Fact]
    public void Reads_labels_datasets_and_typed_annotations()
    {
        var export = MdaiAnnotationExport.Read(SmallExport, CancellationToken.None);

        Assert.Equal("aGq4k6NW", export.ProjectId);
        Assert.Equal("Spleen validation", export.Name);
        Assert.Equal(8, export.Labels.Count);
        var spleen = export.FindLabel("L_spleen")!;
        Assert.Equal(("Spleen", "SPL", "G_ab12cd", "Organs", MdaiAnnotationMode.Mask), (spleen.Name, spleen.ShortName, spleen.GroupId, spleen.GroupName, spleen.AnnotationMode));
        Assert.True(export.FindLabel("L_contrast")!.IsGlobal);
        var oval = export.FindLabel("L_oval")!;
        Assert.False(oval.IsDrawable);
        Assert.Equal("ellipse", oval.AnnotationModeText);

        Assert.Single(export.Datasets);
        Assert.Equal(("D_xyz789", 11), (export.Datasets[0].Id, export.Datasets[0].AnnotationCount));
        Assert.Equal("1.2.826.0.1.3680043.8.498.1", export.Datasets[0].Studies[0].StudyInstanceUid);
        Assert.Equal(11, export.Annotations.Count);
        Assert.All(export.Annotations, a => Assert.Equal("D_xyz789", a.DatasetId));

        var first = export.Annotations[0];
        var mask = Assert.IsType<MdaiMaskData>(first.Data);
        Assert.Equal(new MdaiPoint(14, 1), mask.Foreground[0][1]);
        Assert.Single(mask.Background);
        Assert.Equal((16, 12, "U_rad1"), (first.Width!.Value, first.Height!.Value, first.CreatedById));
        Assert.Equal(38, first.Line);
        Assert.Equal(new MdaiPoint(2.7, 2.2), Assert.IsType<MdaiVerticesData>(export.Annotations[1].Data).Vertices[0]);
        Assert.Equal(new MdaiBoxData(10.5, 1.5, 3.2, 2.9), export.Annotations[2].Data);
        Assert.Equal(new MdaiLocationData(3, 8), export.Annotations[3].Data);
        Assert.Null(export.Annotations[5].Data);
        Assert.Empty(Assert.IsType<MdaiMaskData>(export.Annotations[9].Data).Background);
    }

    [Fact]
    public void Resolves_labels_by_id_name_or_short_name_and_names_the_known_ones_otherwise()
    {
        var export = MdaiAnnotationExport.Read(SmallExport, CancellationToken.None);

        Assert.Equal("L_spleen", export.ResolveLabel("spleen").Single().Id);
        Assert.Equal("L_spleen", export.ResolveLabel("SPL").Single().Id);
        Assert.Equal("L_liver", export.ResolveLabel("L_liver").Single().Id);
        var ex = Assert.Throws<MdaiClaraException>(() => export.ResolveLabel("Pancreas"));
        Assert.Equal(ErrorIds.MdaiAnnotationLabelUnknown, ex.ErrorId);
        Assert.Contains("'Spleen' (L_spleen)", ex.Message);
    }

    [Theory]
    [InlineData("{\"labelGroups\": [ {\"labels\": [ {\"id\": \"L_a\",, } ] } ] }", 1, "not valid JSON")]
    [InlineData("{\n  \"datasets\": [\n    { \"annotations\": [ { \"id\": \"A_1\", \"labelId\": \"L_a\", \"data\": { \"vertices\": \"12,3\" } } ] }\n  ]\n}", 3, "vertices must be a list of [x, y] points, not a string")]
    [InlineData("{\n\"datasets\": [ { \"annotations\": [\n  { \"id\": \"A_1\", \"data\": null } ] } ] }", 3, "annotation A_1 has no labelId")]
    [InlineData("{\"datasets\": [ { \"annotations\": [ { \"labelId\": \"L_a\", \"frameNumber\": 1.5 } ] } ] }", 1, "frameNumber must be a whole number")]
    [InlineData("{\"datasets\": [ { \"annotations\": [ { \"labelId\": \"L_a\", \"data\": { \"vertices\": [[1, 2, 3]] } } ] } ] }", 1, "more than two numbers")]
    [InlineData("{\"datasets\": [ { \"annotations\": [ { \"labelId\": \"L_a\", \"data\": { \"note\": 1 } } ] } ] }", 1, "none of vertices")]
    [InlineData("[1, 2]", 1, "must be an object with labelGroups and datasets")]
    [InlineData("{\"project\": 1}", 1, "neither labelGroups nor datasets")]
    [InlineData("", 1, "empty")]
    public void Malformed_exports_are_named_with_line_and_column(string json, int line, string what)
    {
        var ex = Assert.Throws<MdaiClaraException>(() => MdaiAnnotationExport.Parse(Encoding.UTF8.GetBytes(json), "bad.json", CancellationToken.None));

        Assert.Equal(ErrorIds.MdaiAnnotationExportInvalid, ex.ErrorId);
        Assert.Contains("bad.json", ex.Message);
        Assert.Contains($"line {line}, column ", ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void A_missing_file_or_a_folder_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var missing = Assert.Throws<MdaiClaraException>(() => MdaiAnnotationExport.Read(Path.Combine(temp.Path, "nope.json"), CancellationToken.None));
        Assert.Equal(ErrorIds.MdaiAnnotationExportNotFound, missing.ErrorId);
        var folder = Assert.Throws<MdaiClaraException>(() => MdaiAnnotationExport.Read(temp.Path, CancellationToken.None));
        Assert.Equal(ErrorIds.MdaiAnnotationExportReadFailed, folder.ErrorId);
    }
}
