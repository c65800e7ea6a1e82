using System.IO;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Imaging.Nifti;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Nifti;

/// <summary>
/// The qform matrix against nibabel's get_qform on 209 float32 quaternions (random rotations, rotations within
/// 1e-4..1e-9 of 180° where 1 − b² − c² − d² cancels, axis cases, and two that are no rotation).
/// nibabel computes in x86 long double; <see cref="NiftiQuaternion"/> in double-double, rounded once.
/// </summary>
public sealed class NiftiQuaternionTests
{
    [Fact]
    public void QformMatricesMatchNibabel()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(NiftiTestData.Fixture("qform_matrices.json")));
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.True(cases.Length > 200);
        var exact = 0;
        var entries = 0;
        foreach (var c in cases)
        {
            var bcd = c.GetProperty("bcd").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var pixdim = c.GetProperty("pixdim").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var qfac = c.GetProperty("qfac").GetDouble();
            var scale = new[] { pixdim[0], pixdim[1], pixdim[2] * qfac };
            var matrix = NiftiQuaternion.ToMatrix(bcd[0], bcd[1], bcd[2], scale, NiftiQuaternion.Tolerance(1));
            if (c.GetProperty("matrix").ValueKind == JsonValueKind.Null)
            {
                Assert.Null(matrix);
                continue;
            }

            Assert.NotNull(matrix);
            var expected = c.GetProperty("matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            for (var row = 0; row < 3; row++)
            {
                for (var column = 0; column < 3; column++)
                {
                    var want = expected[row][column];
                    var got = matrix![row, column];
                    entries++;
                    exact += want == got ? 1 : 0;

                    // Never more than one unit in the last place of the largest entry of the matrix (≤ 5 mm here).
                    Assert.True(System.Math.Abs(want - got) <= 2 * double.BitIncrement(5.0) - 2 * 5.0, $"case {string.Join(",", bcd)} [{row},{column}]: nibabel {want:R}, ours {got:R}");
                }
            }
        }

        // Rounding once from a wider value than long double agrees with nibabel's rounding nearly always.
        Assert.True(exact >= entries * 0.99, $"{exact} of {entries} entries bit-identical");
        System.Console.WriteLine($"qform matrices: {exact} of {entries} entries bit-identical to nibabel");
    }

    [Fact]
    public void QuaternionOfARotationRoundTrips()
    {
        // 30° about (1, 2, 2)/3.
        var half = System.Math.PI / 12;
        var (a, b, c, d) = (System.Math.Cos(half), System.Math.Sin(half) / 3, 2 * System.Math.Sin(half) / 3, 2 * System.Math.Sin(half) / 3);
        var r = NiftiQuaternion.ToMatrix(b, c, d, new[] { 1.0, 1, 1 }, 1e-12)!;
        var back = NiftiQuaternion.FromRotation(r);
        Assert.Equal(a, back.A, 12);
        Assert.Equal(b, back.B, 12);
        Assert.Equal(c, back.C, 12);
        Assert.Equal(d, back.D, 12);
    }
}
