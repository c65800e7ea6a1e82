namespace MdaiClara.Engine.Mdai.Packaging;

/// <summary>Why a file of the MMAR is not in its MD.ai package.</summary>
public enum PackageLeftOutReason
{
    /// <summary>Under MMAR_EVAL_OUTPUT_PATH (eval/): earlier predictions and metrics, possibly of patients.</summary>
    EvaluationOutput,

    /// <summary>Version-control metadata: .git, .svn, .hg, .bzr and their ignore/attribute files.</summary>
    VersionControl,

    /// <summary>Caches Python and Jupyter leave behind: __pycache__, .ipynb_checkpoints, *.pyc.</summary>
    Cache,

    /// <summary>A model file the inference config does not load (model.pt beside the TorchScript it loads, other checkpoints).</summary>
    ModelNotLoaded,

    /// <summary>A dataset folder: DATA_ROOT inside the MMAR, or a folder named as datasets are (data/, imagesTr/ …).</summary>
    Dataset,

    /// <summary>A medical image (NIfTI, DICOM, MetaImage, NRRD), by its name or its bytes: possibly patient data.</summary>
    ImageData,

    /// <summary>Outside what inference reads: config/, commands/, resources/, docs/, custom/ and the model file.</summary>
    NotNeeded,

    /// <summary>Named by an exclude pattern.</summary>
    Excluded,
}
