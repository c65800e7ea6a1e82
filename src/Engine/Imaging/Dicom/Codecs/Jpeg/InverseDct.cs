using System;

namespace MdaiClara.Engine.Imaging.Dicom.Codecs;

/// <summary>
/// The 8x8 inverse DCT of ITU T.81 A.3.3, computed separably in single precision from a precomputed cosine
/// matrix, then level-shifted, rounded and clamped to the sample range. Its error against the exact transform is far
/// below one step, so results stay within a step of libjpeg's integer IDCT.
/// </summary>
internal static class InverseDct
{
    /// <summary>Basis[x * 8 + u] = C(u)/2 * cos((2x + 1) u pi / 16), C(0) = 1/sqrt(2), else 1.</summary>
    private static readonly float[] Basis = CreateBasis();

    /// <summary>
    /// Transforms <paramref name="coefficients"/> (dequantized, natural row-major order) and writes the 8x8 block of
    /// samples at <paramref name="offset"/> of <paramref name="plane"/> (rows <paramref name="stride"/> apart).
    /// </summary>
    public static void Transform(ReadOnlySpan<int> coefficients, ushort[] plane, int offset, int stride, int precision)
    {
        int levelShift = 1 << (precision - 1);
        int maxValue = (1 << precision) - 1;
        ReadOnlySpan<float> basis = Basis;
        Span<float> rows = stackalloc float[64];

        bool onlyDc = true;
        for (int i = 1; i < 64; i++)
        {
            if (coefficients[i] != 0)
            {
                onlyDc = false;
                break;
            }
        }

        if (onlyDc)
        {
            // A flat block: every sample is DC/8 (C(0)^2 / 4 = 1/8).
            int flat = Clamp(Round(coefficients[0] / 8f) + levelShift, maxValue);
            for (int y = 0; y < 8; y++)
            {
                plane.AsSpan(offset + (y * stride), 8).Fill((ushort)flat);
            }

            return;
        }

        // Horizontal pass: rows[v * 8 + x] = sum_u F(v, u) * Basis(x, u).
        for (int v = 0; v < 8; v++)
        {
            ReadOnlySpan<int> row = coefficients.Slice(v * 8, 8);
            Span<float> output = rows.Slice(v * 8, 8);
            if (row[1] == 0 && row[2] == 0 && row[3] == 0 && row[4] == 0 && row[5] == 0 && row[6] == 0 && row[7] == 0)
            {
                output.Fill(row[0] * basis[0]);
                continue;
            }

            for (int x = 0; x < 8; x++)
            {
                ReadOnlySpan<float> b = basis.Slice(x * 8, 8);
                output[x] = (row[0] * b[0]) + (row[1] * b[1]) + (row[2] * b[2]) + (row[3] * b[3])
                    + (row[4] * b[4]) + (row[5] * b[5]) + (row[6] * b[6]) + (row[7] * b[7]);
            }
        }

        // Vertical pass: sample(y, x) = sum_v rows(v, x) * Basis(y, v).
        for (int y = 0; y < 8; y++)
        {
            ReadOnlySpan<float> b = basis.Slice(y * 8, 8);
            Span<ushort> target = plane.AsSpan(offset + (y * stride), 8);
            for (int x = 0; x < 8; x++)
            {
                float value = (rows[x] * b[0]) + (rows[8 + x] * b[1]) + (rows[16 + x] * b[2]) + (rows[24 + x] * b[3])
                    + (rows[32 + x] * b[4]) + (rows[40 + x] * b[5]) + (rows[48 + x] * b[6]) + (rows[56 + x] * b[7]);
                target[x] = (ushort)Clamp(Round(value) + levelShift, maxValue);
            }
        }
    }

    private static int Round(float value) => (int)MathF.Floor(value + 0.5f);

    private static int Clamp(int value, int maxValue) => value < 0 ? 0 : value > maxValue ? maxValue : value;

    private static float[] CreateBasis()
    {
        var basis = new float[64];
        for (int x = 0; x < 8; x++)
        {
            for (int u = 0; u < 8; u++)
            {
                double scale = u == 0 ? Math.Sqrt(0.5) : 1.0;
                basis[(x * 8) + u] = (float)(scale / 2 * Math.Cos(((2 * x) + 1) * u * Math.PI / 16));
            }
        }

        return basis;
    }
}
