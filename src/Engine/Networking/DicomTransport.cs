namespace MdaiClara.Engine.Networking;

/// <summary>How a connection talks to its PACS.</summary>
public enum DicomTransport
{
    /// <summary>DICOMweb over HTTP(S): QIDO-RS, WADO-RS, STOW-RS.</summary>
    DicomWeb,

    /// <summary>DIMSE over the DICOM upper layer: C-FIND, C-GET/C-MOVE, C-STORE.</summary>
    Dimse,
}
