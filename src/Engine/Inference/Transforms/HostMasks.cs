using System;
using static TorchSharp.torch;

namespace MdaiClara.Engine.Inference.Transforms;

/// <summary>Moves boolean masks between a tensor's device and host bytes (0/1, C order) for the host-side algorithms.</summary>
internal static class HostMasks
{
    /// <summary>The mask's values as host bytes, in one device-to-host copy.</summary>
    public static byte[] ToHost(Tensor mask, string component)
    {
        using var scope = NewDisposeScope();
        var onHost = mask.to_type(ScalarType.Bool).contiguous().cpu();
        if (onHost.numel() > Array.MaxLength)
        {
            throw TransformErrors.Input(component, $"a mask of {onHost.numel()} voxels is too large to process on the host");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)onHost.numel());
        onHost.bytes.CopyTo(bytes);
        return bytes;
    }

    /// <summary>Host bytes as a boolean tensor of <paramref name="shape"/> on <paramref name="device"/>, in one copy.</summary>
    public static Tensor ToDevice(byte[] values, long[] shape, Device device)
    {
        using var scope = NewDisposeScope();
        var onHost = empty(shape, ScalarType.Bool);
        onHost.bytes = values;
        return onHost.to(device).MoveToOuterDisposeScope();
    }
}
