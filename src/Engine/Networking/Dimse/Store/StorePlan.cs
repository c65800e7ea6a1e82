using System.Collections.Generic;
using System.Linq;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking.Dimse.Pdus;

namespace MdaiClara.Engine.Networking.Dimse.Store;

/// <summary>
/// The presentation contexts one association proposes for a batch of instances: one per SOP class and original
/// transfer syntax, offering the file's own syntax first and then Explicit and Implicit VR Little Endian when our
/// writer can re-encode the file. At most 128 contexts fit an association (odd ids 1-255), so files are batched.
/// </summary>
internal sealed class StorePlan
{
    public const int MaxContexts = 128;
    private readonly Dictionary<(string SopClass, string? AsIs, bool Reencodable), PresentationContext> _contexts = new();

    public List<StoreInstance> Instances { get; } = [];

    public IReadOnlyList<PresentationContext> Contexts => _contexts.Values.ToList();

    /// <summary>Adds the instance if its context is already proposed or there is room for one more; false when the batch is full.</summary>
    public bool TryAdd(StoreInstance instance)
    {
        var key = Key(instance);
        if (!_contexts.ContainsKey(key))
        {
            if (_contexts.Count == MaxContexts)
            {
                return false;
            }

            var syntaxes = new List<string>();
            if (instance.AsIsSyntax is { } asIs)
            {
                syntaxes.Add(asIs);
            }

            if (key.Reencodable)
            {
                syntaxes.Add(TransferSyntax.ExplicitVRLittleEndian.Uid);
                syntaxes.Add(TransferSyntax.ImplicitVRLittleEndian.Uid);
            }

            _contexts[key] = new PresentationContext((byte)((_contexts.Count * 2) + 1), instance.SopClassUid, syntaxes.Distinct().ToList());
        }

        Instances.Add(instance);
        return true;
    }

    /// <summary>The context proposed for this instance.</summary>
    public PresentationContext ContextFor(StoreInstance instance) => _contexts[Key(instance)];

    /// <summary>True when the instance can be sent at all: as it is, or re-encoded.</summary>
    public static bool CanSend(StoreInstance instance) => instance.AsIsSyntax is not null || instance.ReencodeProblem is null;

    private static (string SopClass, string? AsIs, bool Reencodable) Key(StoreInstance instance) => (instance.SopClassUid, instance.AsIsSyntax, instance.ReencodeProblem is null);
}
