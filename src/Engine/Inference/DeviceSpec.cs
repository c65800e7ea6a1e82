using System;
using System.Globalization;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Inference;

public enum DeviceKind
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>What the user asked for: <c>Auto</c>, <c>Cpu</c>, <c>Cuda</c> or <c>Cuda:N</c>.</summary>
public sealed record DeviceSpec(DeviceKind Kind, int? Index)
{
    public static DeviceSpec Auto { get; } = new(DeviceKind.Auto, null);

    public static DeviceSpec Cpu { get; } = new(DeviceKind.Cpu, null);

    public static DeviceSpec Parse(string? text)
    {
        var t = (text ?? "Auto").Trim();
        if (t.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return Auto;
        }

        if (t.Equals("cpu", StringComparison.OrdinalIgnoreCase))
        {
            return Cpu;
        }

        if (t.Equals("cuda", StringComparison.OrdinalIgnoreCase) || t.Equals("gpu", StringComparison.OrdinalIgnoreCase))
        {
            return new DeviceSpec(DeviceKind.Cuda, null);
        }

        var colon = t.IndexOf(':');
        if (colon > 0 && (t[..colon].Equals("cuda", StringComparison.OrdinalIgnoreCase) || t[..colon].Equals("gpu", StringComparison.OrdinalIgnoreCase))
            && int.TryParse(t[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new DeviceSpec(DeviceKind.Cuda, index);
        }

        throw new MdaiClaraException(
            $"'{text}' is not a device. Use Auto, Cpu, Cuda or Cuda:N (N = the GPU's index, from 0).",
            ErrorIds.DeviceInvalid, ErrorKind.InvalidArgument, text);
    }

    public override string ToString() => Kind switch
    {
        DeviceKind.Cuda when Index is not null => $"Cuda:{Index}",
        _ => Kind.ToString(),
    };
}
