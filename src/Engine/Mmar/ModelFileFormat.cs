namespace MdaiClara.Engine.Mmar;

/// <summary>What a model file is, judged from its bytes alone (nothing is unpickled or loaded).</summary>
public enum ModelFileFormat
{
    /// <summary>Not inspected (the file is missing).</summary>
    Unknown = 0,

    /// <summary>A TorchScript archive (torch.jit.save): a zip with code/, data.pkl and constants.pkl.</summary>
    TorchScript,

    /// <summary>A torch.save pickle in the zip container (PyTorch 1.6+): weights, no code.</summary>
    PickleZip,

    /// <summary>A torch.save pickle in the legacy (pre-1.6) stream format.</summary>
    PickleLegacy,

    /// <summary>A zip that is neither TorchScript nor a torch.save checkpoint.</summary>
    OtherZip,

    /// <summary>A TensorFlow artefact (frozen graph .pb, checkpoint, SavedModel, HDF5).</summary>
    TensorFlow,

    /// <summary>Anything else, including empty and truncated files.</summary>
    NotAModel,
}
