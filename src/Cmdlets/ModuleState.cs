using System.Management.Automation;
using MdaiClara.Engine.Inference;

namespace MdaiClara.Cmdlets;

/// <summary>
/// What the module owns for the life of an import: the loaded-model cache and the PACS connections. Importing loads nothing native;
/// removing the module disposes every loaded model.
/// </summary>
public sealed class ModuleState : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static ModelSessionCache? _models;

    /// <summary>The module-wide model cache, created on first use.</summary>
    internal static ModelSessionCache Models
    {
        get
        {
            lock (Gate)
            {
                return _models ??= new ModelSessionCache();
            }
        }
    }

    /// <summary>Import must stay cheap: no libtorch, no file access.</summary>
    public void OnImport()
    {
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            _models?.Dispose();
            _models = null;
        }

        DicomConnections.Clear();
        DicomReceivers.Clear();
    }
}
