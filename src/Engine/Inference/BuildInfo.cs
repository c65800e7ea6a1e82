using System.Linq;
using System.Reflection;

namespace MdaiClara.Engine.Inference;

/// <summary>Build-time facts stamped into the assembly by MSBuild (see MdaiClara.Engine.csproj).</summary>
public static class BuildInfo
{
    public static string TorchBackend => Get("TorchBackend") ?? "cpu";

    public static string LibTorchVersion => Get("LibTorchVersion") ?? "unknown";

    public static string TorchSharpVersion => Get("TorchSharpVersion") ?? "unknown";

    public static string NativeRid => Get("NativeRid") ?? "linux-x64";

    private static string? Get(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
