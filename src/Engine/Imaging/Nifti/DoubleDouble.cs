using System;

namespace MdaiClara.Engine.Imaging.Nifti;

/// <summary>
/// An unevaluated sum of two doubles (about 106 significant bits). nibabel computes the qform rotation in the
/// platform's long double (80-bit on x86-64 Linux); in plain double the square root of 1 − b² − c² − d² loses up to
/// ~1e-12 near 180° rotations, so the qform uses this wider arithmetic and then rounds once to double, which agrees
/// with nibabel to the last bit in nearly every case.
/// </summary>
internal readonly struct DoubleDouble
{
    public DoubleDouble(double hi, double lo = 0)
    {
        Hi = hi;
        Lo = lo;
    }

    public double Hi { get; }

    public double Lo { get; }

    public double ToDouble() => Hi + Lo;

    public static implicit operator DoubleDouble(double value) => new(value);

    public static DoubleDouble operator +(DoubleDouble x, DoubleDouble y)
    {
        var (s, e) = TwoSum(x.Hi, y.Hi);
        var (t, f) = TwoSum(x.Lo, y.Lo);
        e += t;
        (s, e) = QuickTwoSum(s, e);
        e += f;
        (s, e) = QuickTwoSum(s, e);
        return new DoubleDouble(s, e);
    }

    public static DoubleDouble operator -(DoubleDouble x) => new(-x.Hi, -x.Lo);

    public static DoubleDouble operator -(DoubleDouble x, DoubleDouble y) => x + (-y);

    public static DoubleDouble operator *(DoubleDouble x, DoubleDouble y)
    {
        var p = x.Hi * y.Hi;
        var e = Math.FusedMultiplyAdd(x.Hi, y.Hi, -p);
        e += (x.Hi * y.Lo) + (x.Lo * y.Hi);
        var (s, t) = QuickTwoSum(p, e);
        return new DoubleDouble(s, t);
    }

    public static DoubleDouble operator /(DoubleDouble x, DoubleDouble y)
    {
        // Long division: three double quotients, each correcting the remainder of the last.
        var q1 = x.Hi / y.Hi;
        var r = x - (y * q1);
        var q2 = r.Hi / y.Hi;
        r -= y * q2;
        var q3 = r.Hi / y.Hi;
        var (s, e) = QuickTwoSum(q1, q2);
        return new DoubleDouble(s, e) + q3;
    }

    public static bool operator <(DoubleDouble x, DoubleDouble y) => x.Hi < y.Hi || (x.Hi == y.Hi && x.Lo < y.Lo);

    public static bool operator >(DoubleDouble x, DoubleDouble y) => y < x;

    public static DoubleDouble Sqrt(DoubleDouble a)
    {
        if (a.Hi <= 0)
        {
            return new DoubleDouble(0);
        }

        // One Newton step from the double root doubles its precision.
        var x = Math.Sqrt(a.Hi);
        var residual = a - (new DoubleDouble(x) * x);
        return new DoubleDouble(x) + (residual.Hi / (2 * x));
    }

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        var s = a + b;
        var bb = s - a;
        return (s, (a - (s - bb)) + (b - bb));
    }

    private static (double Sum, double Error) QuickTwoSum(double a, double b)
    {
        var s = a + b;
        return (s, b - (s - a));
    }
}
